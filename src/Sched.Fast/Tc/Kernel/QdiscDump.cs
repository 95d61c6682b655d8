using Sched.Fast.Qdiscs;

namespace Sched.Fast.Tc.Kernel;

/// <summary>
/// One RTM_NEWQDISC message of a dump (sch_api.c tc_fill_qdisc()): the tcmsg header, TCA_KIND, TCA_OPTIONS
/// (the kind's dumped spec), the blocks, the size table, and TCA_STATS2 (basic, rate estimate, queue, xstats).
/// </summary>
public sealed record QdiscDump
{
    public required Qdisc Qdisc { get; init; }
    public required string Kind { get; init; }
    public required int IfIndex { get; init; }
    public required string DeviceName { get; init; }
    public required uint Handle { get; init; }
    public required uint Parent { get; init; }

    /// <summary>tcm_info: the qdisc's reference count (a root holds one per TX queue plus the device's).</summary>
    public required uint RefCount { get; init; }

    /// <summary>TCA_OPTIONS as the kind dumps them.</summary>
    public QdiscSpec? Options { get; init; }

    public uint IngressBlock { get; init; }
    public uint EgressBlock { get; init; }
    public SizeTableSpec? SizeTable { get; init; }

    /// <summary>A copy of the counters at dump time.</summary>
    public required QdiscStats Stats { get; init; }

    /// <summary>TCA_STATS_RATE_EST: the estimator's reading, when an estimator is attached.</summary>
    public (ulong BytesPerSecond, ulong PacketsPerSecond)? RateEstimate { get; init; }

    /// <summary>TCA_STATS_APP: the kind's xstats, or null.</summary>
    public object? Xstats { get; init; }
}
