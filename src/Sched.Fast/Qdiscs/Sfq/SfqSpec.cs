using Sched.Fast.Aqm.Red;

namespace Sched.Fast.Qdiscs.Sfq;

/// <summary>
/// struct tc_sfq_qopt_v1, as tc/q_sfq.c fills it and sch_sfq.c dumps it: quantum in bytes, the perturbation period
/// in seconds, the packet limit, hash divisor, flows, per-flow depth, headdrop, and the per-flow RED parameters
/// (thresholds in bytes, Wlog/Plog/Scell_log, flags, max_P in Q0.32; RedLimit is redflowlimit, which tc sends and
/// the kernel does not keep). 0 means "not given" for the v0 fields, as in the kernel. The dump carries the RED
/// statistics too.
/// </summary>
public sealed record SfqSpec(
    uint Quantum = 0,
    int PerturbPeriod = 0,
    uint Limit = 0,
    uint Divisor = 0,
    uint Flows = 0,
    uint Depth = 0,
    bool Headdrop = false,
    uint RedLimit = 0,
    uint QthMin = 0,
    uint QthMax = 0,
    byte Wlog = 0,
    byte Plog = 0,
    byte ScellLog = 0,
    RedFlags Flags = RedFlags.None,
    uint MaxP = 0,
    SfqRedStats Stats = default) : QdiscSpec;
