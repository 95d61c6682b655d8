using Sched.Fast.Qdiscs;

namespace Sched.Fast.Tc.Kernel;

/// <summary>An RTM_NEWTCLASS/RTM_DELTCLASS message as tc/tc_class.c builds it.</summary>
public sealed record ClassRequest
{
    public NetlinkFlags Flags { get; init; }
    public int IfIndex { get; init; }

    /// <summary>tcm_parent: TC_H_ROOT, X:Y, 0:Y, X:0 or 0 (unspecified).</summary>
    public uint Parent { get; init; }

    /// <summary>tcm_handle: the classid (X:Y, 0:Y, or 0).</summary>
    public uint ClassId { get; init; }

    public string? Kind { get; init; }

    /// <summary>TCA_OPTIONS as the kind parsed them, or null.</summary>
    public ClassSpec? Options { get; init; }

    public EstimatorSpec? Estimator { get; init; }
}
