namespace Sched.Fast.Qdiscs.FqCodel;

/// <summary>struct tc_fq_codel_qd_stats (TCA_FQ_CODEL_XSTATS_QDISC), as fq_codel_dump_stats() fills it.</summary>
public sealed record FqCodelXstats(
    uint MaxPacket,
    uint DropOverlimit,
    uint EcnMark,
    uint NewFlowCount,
    uint NewFlowsLen,
    uint OldFlowsLen,
    uint CeMark,
    uint MemoryUsage,
    uint DropOvermemory);
