namespace Sched.Fast.Classifiers;

/// <summary>
/// What a kind's option parser (f_KIND.c parse_fopt) puts in the request: the filter handle (tcm_handle) and the
/// options, null when tc sends no TCA_OPTIONS.
/// </summary>
public sealed record FilterRequest(uint Handle, FilterSpec? Options);
