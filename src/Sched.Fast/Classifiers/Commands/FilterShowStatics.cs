namespace Sched.Fast.Classifiers.Commands;

/// <summary>
/// tc/tc_filter.c's file-scope statics (filter_ifindex, filter_parent, filter_prio, filter_protocol,
/// filter_chain_index, filter_block_index): set by "show" and "get", kept for the rest of a tc run.
/// </summary>
public sealed class FilterShowStatics
{
    public FilterShowFilter Shown { get; set; } = FilterShowFilter.None;
}
