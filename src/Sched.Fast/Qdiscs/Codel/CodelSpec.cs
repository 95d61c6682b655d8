namespace Sched.Fast.Qdiscs.Codel;

/// <summary>
/// TCA_CODEL_* as tc sends them (only the options given; null = attribute absent) and as sch_codel.c dumps them
/// (limit, target, interval and ecn always; ce_threshold when set). Times are microseconds, as on the wire: the
/// kernel stores them in 1024 ns units, so a dumped time can be a microsecond or so below what was configured.
/// </summary>
public sealed record CodelSpec(
    uint? Limit = null,
    uint? TargetUs = null,
    uint? IntervalUs = null,
    bool? Ecn = null,
    uint? CeThresholdUs = null) : QdiscSpec;
