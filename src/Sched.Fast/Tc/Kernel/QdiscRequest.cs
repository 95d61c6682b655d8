using Sched.Fast.Qdiscs;

namespace Sched.Fast.Tc.Kernel;

/// <summary>
/// An RTM_NEWQDISC/RTM_DELQDISC message as tc builds it: the tcmsg header (ifindex, parent, handle), the flags of
/// the verb, and the attributes (TCA_KIND, TCA_OPTIONS as the kind's parsed spec, TCA_RATE, TCA_STAB, blocks).
/// </summary>
public sealed record QdiscRequest
{
    public NetlinkFlags Flags { get; init; }
    public int IfIndex { get; init; }

    /// <summary>tcm_parent: TC_H_ROOT, TC_H_INGRESS, a classid, or 0 (address the qdisc by handle).</summary>
    public uint Parent { get; init; }

    /// <summary>tcm_handle: major:0, or 0 for "allocate one" (8001: and up).</summary>
    public uint Handle { get; init; }

    /// <summary>TCA_KIND, when tc sent one.</summary>
    public string? Kind { get; init; }

    /// <summary>TCA_OPTIONS: null when tc sent none (the kernel then keeps or defaults the options).</summary>
    public QdiscSpec? Options { get; init; }

    /// <summary>TCA_RATE.</summary>
    public EstimatorSpec? Estimator { get; init; }

    /// <summary>TCA_STAB.</summary>
    public SizeTableSpec? SizeTable { get; init; }

    /// <summary>TCA_INGRESS_BLOCK / TCA_EGRESS_BLOCK (0: none).</summary>
    public uint IngressBlock { get; init; }
    public uint EgressBlock { get; init; }
}
