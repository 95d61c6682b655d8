namespace Sched.Fast.Classifiers;

/// <summary>
/// One RTM_NEWTFILTER/RTM_NEWCHAIN message as the kernel fills it (tcf_fill_node(), tc_chain_fill_node()): the
/// device, parent, priority and protocol (tcm_info), kind, chain, and the filter's handle and options when the
/// message is about one filter rather than the classifier as a whole.
/// </summary>
public sealed record FilterMessage
{
    /// <summary>A chain message ("chain parent ffff: chain 0") rather than a filter message.</summary>
    public bool IsChain { get; init; }

    public int IfIndex { get; init; }

    /// <summary>tcm_block_index of a shared block's message (<see cref="IfIndex"/> is then TCM_IFINDEX_MAGIC_BLOCK).</summary>
    public uint BlockIndex { get; init; }
    public uint Parent { get; init; }

    /// <summary>TC_H_MAJ(tcm_info) >> 16; 0 in chain messages.</summary>
    public uint Prio { get; init; }

    /// <summary>TC_H_MIN(tcm_info); 0 in chain messages.</summary>
    public ushort Protocol { get; init; }

    /// <summary>TCA_KIND, or null (chain messages without a template).</summary>
    public string? Kind { get; init; }

    /// <summary>TCA_CHAIN.</summary>
    public uint? Chain { get; init; }

    /// <summary>The filter (handle and TCA_OPTIONS), or null for the classifier's own line.</summary>
    public FilterDump? Filter { get; init; }
}
