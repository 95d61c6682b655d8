namespace Sched.Fast.Actions;

/// <summary>TCA_ACT_FLAGS_* and TCA_ACT_HW_STATS_* (include/uapi/linux/pkt_cls.h).</summary>
public static class ActionFlags
{
    public const uint NoPercpuStats = 1 << 0;
    public const uint SkipHw = 1 << 1;
    public const uint SkipSw = 1 << 2;

    /// <summary>TCA_ACT_FLAGS_USER_MASK: the flags a user sets and a dump reports.</summary>
    public const uint UserMask = 0xFFFF;

    public const byte HwStatsImmediate = 1 << 0;
    public const byte HwStatsDelayed = 1 << 1;
    public const byte HwStatsAny = HwStatsImmediate | HwStatsDelayed;
}
