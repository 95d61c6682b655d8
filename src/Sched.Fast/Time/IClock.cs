namespace Sched.Fast.Time;

/// <summary>
/// A monotonic clock. Only the edges (datapath, ports, control plane) read it; algorithms take <c>TimeNs now</c> as
/// an argument so that tests drive them with <see cref="ManualClock"/>.
/// </summary>
public interface IClock
{
    TimeNs Now { get; }
}
