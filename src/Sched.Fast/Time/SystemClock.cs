using System.Diagnostics;

namespace Sched.Fast.Time;

/// <summary>
/// CLOCK_MONOTONIC in nanoseconds. On Linux <see cref="Stopwatch"/> reads CLOCK_MONOTONIC with a 1 ns frequency
/// (vDSO, no syscall), which is what the kernel's ktime_get_ns() returns.
/// </summary>
public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new();

    private static readonly double s_nsPerTick = 1e9 / Stopwatch.Frequency;
    private static readonly bool s_tickIsNs = Stopwatch.Frequency == TimeNs.NsPerSecond;

    public TimeNs Now => new(NowNs());

    public static long NowNs()
    {
        long ticks = Stopwatch.GetTimestamp();
        return s_tickIsNs ? ticks : (long)(ticks * s_nsPerTick);
    }
}
