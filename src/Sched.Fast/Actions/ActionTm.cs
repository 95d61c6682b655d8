namespace Sched.Fast.Actions;

/// <summary>
/// struct tcf_t as an action dumps it (tcf_tm_dump()): ages in clock_t ticks (USER_HZ, 100 per second) since the
/// action was installed, last and first used, and its expiry. tc prints them divided by 100 as seconds.
/// </summary>
public readonly record struct ActionTm(ulong Install, ulong LastUse, ulong FirstUse, ulong Expires)
{
    /// <summary>USER_HZ: the clock_t tick rate of tcf_t values.</summary>
    public const long TicksPerSecond = 100;

    /// <summary>
    /// tcf_tm_dump(): the ages at <paramref name="nowNs"/> of an action's install/use times (ns). An age of exactly
    /// zero only happens on a simulated clock that has not moved (offline tc); it is reported as one tick, what a
    /// kernel shows after the milliseconds any real command takes ("installed 0 sec").
    /// </summary>
    public static ActionTm Dump(long nowNs, long installNs, long lastUseNs, long firstUseNs) =>
        new(Ticks(nowNs - installNs), Ticks(nowNs - lastUseNs), firstUseNs != 0 ? Ticks(nowNs - firstUseNs) : 0, 0);

    private static ulong Ticks(long ns) => ns switch
    {
        0 => 1,
        < 0 => 0,
        _ => (ulong)(ns / (1_000_000_000 / TicksPerSecond)),
    };
}
