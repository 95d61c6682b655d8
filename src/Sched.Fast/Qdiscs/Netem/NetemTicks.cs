using Sched.Fast.Tc;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// The psched tick conversions netem's options go through. The kernel's tick is 64 ns (PSCHED_SHIFT 6:
/// PSCHED_TICKS2NS / PSCHED_NS2TICKS); tc learns it from /proc/net/psched ("000003e8 00000040 000f4240 ...") and
/// converts with tick_in_usec = 1000 / 64 * 1 = 15.625 ticks per microsecond (tc/tc_core.c tc_core_init(),
/// tc_core_time2tick(), tc_core_tick2time()), truncating to integers each way.
/// </summary>
public static class NetemTicks
{
    public const int PschedShift = 6;
    public const double TicksPerMicrosecond = 15.625;

    /// <summary>PSCHED_TICKS2NS().</summary>
    public static long TicksToNs(uint ticks) => (long)ticks << PschedShift;

    /// <summary>PSCHED_NS2TICKS() clamped to 32 bits, as netem_dump() fills tc_netem_qopt.</summary>
    public static uint NsToTicksClamped(long ns) => (uint)Math.Min((ulong)(ns >> PschedShift), uint.MaxValue);

    /// <summary>tc_core_time2tick(): microseconds to ticks.</summary>
    public static uint MicrosecondsToTicks(uint us) => (uint)(ulong)(us * TicksPerMicrosecond);

    /// <summary>tc_core_tick2time(): ticks to microseconds.</summary>
    public static uint TicksToMicroseconds(uint ticks) => (uint)(ticks / TicksPerMicrosecond);

    /// <summary>tc_core_time2big(): whether <paramref name="us"/> microseconds overflow 32-bit ticks.</summary>
    public static bool IsTooBig(uint us) => ((ulong)(us * TicksPerMicrosecond) >> 32) != 0;

    /// <summary>
    /// lib/utils.c get_time(): "10ms" to microseconds, with C's conversion of the double result to unsigned int
    /// (values past 2^32 wrap, as on x86-64), so tc's "Illegal N time (too large)" shows the same N.
    /// </summary>
    public static bool TryParseMicroseconds(string text, out uint microseconds)
    {
        microseconds = 0;
        if (!TcUnits.TryStrtod(text, out double t, out string rest)) return false;
        if (rest.Length > 0)
        {
            if (Is(rest, "s") || Is(rest, "sec") || Is(rest, "secs")) t *= 1_000_000;
            else if (Is(rest, "ms") || Is(rest, "msec") || Is(rest, "msecs")) t *= 1_000;
            else if (!(Is(rest, "us") || Is(rest, "usec") || Is(rest, "usecs"))) return false;
        }
        microseconds = t >= 0 && t < 9.2e18 ? unchecked((uint)(long)t) : unchecked((uint)(int)t);
        return true;
    }

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
