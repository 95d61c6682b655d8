using System.Runtime.CompilerServices;
using Sched.Fast.Time;

namespace Sched.Fast.Aqm.Codel;

/// <summary>
/// CoDel's clock (include/net/codel.h codel_time_t): nanoseconds shifted right by 10, so one unit is 1024 ns, held
/// in 32 bits. Comparisons are signed differences (codel_time_after()), which stay right across wrap-around for
/// instants less than 2^31 units (about 2199 s) apart. The kernel converts microseconds from netlink with
/// <c>(us * NSEC_PER_USEC) &gt;&gt; CODEL_SHIFT</c> and back with codel_time_to_us(); both truncate, so a value
/// does not always survive the round trip (5000 us is stored as 4882 units and dumped as 4999 us), exactly as tc
/// shows it.
/// </summary>
public static class CodelTime
{
    /// <summary>CODEL_SHIFT: a unit is 2^10 ns.</summary>
    public const int Shift = 10;

    /// <summary>CODEL_DISABLED_THRESHOLD: ce_threshold not set.</summary>
    public const uint Disabled = int.MaxValue;

    /// <summary>codel_get_time() for <paramref name="now"/>: ns &gt;&gt; 10, truncated to 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromTime(TimeNs now) => (uint)((ulong)now.Value >> Shift);

    /// <summary>codel_get_time() for a raw nanosecond count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromNs(long ns) => (uint)((ulong)ns >> Shift);

    /// <summary>The kernel's conversion of a netlink microsecond value: (us * 1000) &gt;&gt; 10.</summary>
    public static uint FromUs(uint us) => (uint)(((ulong)us * TimeNs.NsPerUs) >> Shift);

    /// <summary>MS2TIME(): milliseconds to codel units.</summary>
    public static uint FromMs(uint ms) => (uint)(((ulong)ms * TimeNs.NsPerMs) >> Shift);

    /// <summary>codel_time_to_us(): ((u64)t &lt;&lt; 10) / 1000.</summary>
    public static uint ToUs(uint t) => (uint)(((ulong)t << Shift) / TimeNs.NsPerUs);

    /// <summary>Units to nanoseconds (for wake-ups and tests).</summary>
    public static long ToNs(uint t) => (long)t << Shift;

    /// <summary>codel_time_after(a, b): (s32)(a - b) &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool After(uint a, uint b) => (int)(a - b) > 0;

    /// <summary>codel_time_after_eq(a, b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AfterOrEqual(uint a, uint b) => (int)(a - b) >= 0;

    /// <summary>codel_time_before(a, b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Before(uint a, uint b) => (int)(a - b) < 0;

    /// <summary>
    /// The signed distance from now to <paramref name="t"/> in microseconds, as the xstats report drop_next
    /// (codel_dump_stats: positive in the future, negative in the past).
    /// </summary>
    public static int DeltaUs(uint t, uint now)
    {
        int delta = (int)(t - now);
        return delta >= 0 ? (int)ToUs((uint)delta) : -(int)ToUs((uint)-delta);
    }
}
