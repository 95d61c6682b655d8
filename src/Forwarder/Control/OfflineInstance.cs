using Sched.Fast.Tc.Commands;

namespace Forwarder.Control;

/// <summary>The in-memory instance of "forwarder tc --offline" (see <see cref="TcOffline"/>).</summary>
public static class OfflineInstance
{
    public static TcEngine Create() => TcOffline.Create();
}
