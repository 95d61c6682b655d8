namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// What <c>BpfRunContext.HostState</c> points at when a tc program runs: the host description
/// (<see cref="TcSkbHost"/>) and an opaque handle the host's operations use to find the packet being run on
/// (for example a GCHandle of a per-thread runner). Native memory the host owns.
/// </summary>
public unsafe struct TcRunState
{
    public TcSkbHost* Host;
    public nint HostHandle;
}
