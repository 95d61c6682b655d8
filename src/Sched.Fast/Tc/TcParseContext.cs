using Sched.Fast.Devices;

namespace Sched.Fast.Tc;

/// <summary>What a kind's option parser may consult besides the words: the device (for percentage rates, MTU) and
/// where the command came from (for error messages).</summary>
public sealed record TcParseContext(NetDevice? Device = null)
{
    public static readonly TcParseContext None = new();

    public string DeviceName => Device?.Name ?? "";
}
