namespace Sched.Fast.Shaping;

/// <summary>
/// The kernel's packet scheduler clock units (include/net/pkt_sched.h): a psched tick is 2^PSCHED_SHIFT = 64 ns.
/// tbf and htb keep their buckets in nanoseconds but exchange them with tc in ticks (tc_tbf_qopt.buffer,
/// tc_htb_opt.buffer, tc_htb_xstats.tokens), so the conversions must truncate exactly as these macros do.
/// /proc/net/psched reads "000003e8 00000040 000f4240 3b9aca00": 1000 ns per µs, 64 ns per tick.
/// </summary>
public static class Psched
{
    public const int Shift = 6;               // PSCHED_SHIFT
    public const long NsPerSecond = 1_000_000_000;

    /// <summary>PSCHED_TICKS2NS(x): ((s64)(x) &lt;&lt; PSCHED_SHIFT).</summary>
    public static long TicksToNs(long ticks) => ticks << Shift;

    /// <summary>PSCHED_NS2TICKS(x): ((x) &gt;&gt; PSCHED_SHIFT), an arithmetic shift of a signed value.</summary>
    public static long NsToTicks(long ns) => ns >> Shift;
}
