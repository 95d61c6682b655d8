namespace Sched.Fast.Qdiscs.Codel;

/// <summary>struct tc_codel_xstats (include/uapi/linux/pkt_sched.h), as codel_dump_stats() fills it.</summary>
public sealed record CodelXstats(
    uint MaxPacket,
    uint Count,
    uint LastCount,
    uint LdelayUs,
    int DropNextUs,
    uint DropOverlimit,
    uint EcnMark,
    bool Dropping,
    uint CeMark);
