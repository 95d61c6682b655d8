namespace Sched.Fast.Qdiscs.FqCodel;

/// <summary>struct tc_fq_codel_cl_stats (TCA_FQ_CODEL_XSTATS_CLASS): one flow's DRR and CoDel state.</summary>
public sealed record FqCodelClassXstats(
    int Deficit,
    uint LdelayUs,
    uint Count,
    uint LastCount,
    bool Dropping,
    int DropNextUs);
