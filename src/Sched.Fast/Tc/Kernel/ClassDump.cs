using Sched.Fast.Qdiscs;

namespace Sched.Fast.Tc.Kernel;

/// <summary>One RTM_NEWTCLASS message of a dump (sch_api.c tc_fill_tclass() and the kind's cops->dump).</summary>
public sealed record ClassDump
{
    public required ClassfulQdisc Qdisc { get; init; }
    public required QdiscClass Class { get; init; }
    public required string Kind { get; init; }
    public required int IfIndex { get; init; }
    public required string DeviceName { get; init; }

    /// <summary>tcm_handle: the classid.</summary>
    public required uint ClassId { get; init; }

    /// <summary>tcm_parent: the parent class, the qdisc's handle, or TC_H_ROOT.</summary>
    public required uint Parent { get; init; }

    /// <summary>tcm_info: the leaf qdisc's handle (0 for none or a default leaf).</summary>
    public required uint LeafHandle { get; init; }

    public ClassSpec? Options { get; init; }
    public required QdiscStats Stats { get; init; }

    /// <summary>Whether the kind's dump_stats copied gnet_stats_basic (TCA_STATS_BASIC): tc prints "Sent" only then.</summary>
    public bool HasBasicStats { get; init; } = true;
    public (ulong BytesPerSecond, ulong PacketsPerSecond)? RateEstimate { get; init; }
    public object? Xstats { get; init; }
}
