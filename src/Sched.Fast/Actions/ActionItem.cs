using Sched.Fast.Qdiscs;

namespace Sched.Fast.Actions;

/// <summary>
/// One entry of an action list (a nested TCA_ACT_TAB/TCA_*_ACT attribute): the kind, its options and the generic
/// attributes m_action.c sends (cookie, hw_stats, flags) and the kernel dumps back (statistics, in_hw_count).
/// </summary>
public sealed record ActionItem(string Kind, ActionSpec? Options)
{
    /// <summary>TCA_ACT_COOKIE as lowercase hex digits, or null.</summary>
    public string? Cookie { get; init; }

    /// <summary>TCA_ACT_HW_STATS (value bits), or null when absent (the kernel dumps it only when not "any").</summary>
    public byte? HwStats { get; init; }

    /// <summary>TCA_ACT_FLAGS value (user flags: no_percpu 1, skip_hw 2, skip_sw 4); 0 when absent.</summary>
    public uint Flags { get; init; }

    /// <summary>TCA_ACT_STATS as dumped: bytes, packets, drops, overlimits, requeues, backlog, qlen.</summary>
    public QdiscStats? Stats { get; init; }

    /// <summary>TCA_ACT_IN_HW_COUNT as dumped (always present in a full dump: 0 here, no offload).</summary>
    public uint? InHwCount { get; init; }

    /// <summary>TCA_ACT_INDEX of a get/delete request or a terse dump.</summary>
    public uint? Index { get; init; }
}
