namespace Sched.Fast.Qdiscs.FqCodel;

/// <summary>
/// TCA_FQ_CODEL_* as tc sends them (only what was given; null = attribute absent) and as sch_fq_codel.c dumps them
/// (everything but the ce_threshold trio, which comes only when ce_threshold is set). Times in microseconds.
/// </summary>
public sealed record FqCodelSpec(
    uint? Limit = null,
    uint? Flows = null,
    uint? Quantum = null,
    uint? TargetUs = null,
    uint? IntervalUs = null,
    bool? Ecn = null,
    uint? CeThresholdUs = null,
    byte? CeThresholdSelector = null,
    byte? CeThresholdMask = null,
    uint? MemoryLimit = null,
    uint? DropBatch = null) : QdiscSpec;
