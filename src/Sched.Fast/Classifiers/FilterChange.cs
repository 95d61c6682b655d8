using Sched.Fast.Qdiscs;

namespace Sched.Fast.Classifiers;

/// <summary>The arguments of ops->change (net/sched/cls_api.c tc_new_tfilter()).</summary>
public sealed class FilterChange
{
    /// <summary>tcm_handle as the user gave it (0: let the kind pick).</summary>
    public uint Handle { get; init; }

    /// <summary>TCA_OPTIONS, or null when tc sent none.</summary>
    public FilterSpec? Options { get; init; }

    /// <summary>The filter ops->get found for <see cref="Handle"/> (change/replace), or null (create).</summary>
    public FilterNode? Existing { get; init; }

    /// <summary>TCA_ACT_FLAGS_REPLACE: the request lacked NLM_F_CREATE ("tc filter change").</summary>
    public bool Replace { get; init; }

    /// <summary>The class whose block holds the filter ("base"), null for the qdisc's own block.</summary>
    public QdiscClass? BaseClass { get; init; }

    /// <summary>TCA_ACT_FLAGS_AT_INGRESS_OR_CLSACT.</summary>
    public bool AtIngressOrClsact { get; init; }
}
