namespace Sched.Fast.Classifiers;

/// <summary>What ops->dump puts in a filter message: tcm_handle and the TCA_OPTIONS (null when absent).</summary>
public readonly record struct FilterDump(uint Handle, FilterSpec? Options);
