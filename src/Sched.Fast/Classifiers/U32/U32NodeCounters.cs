namespace Sched.Fast.Classifiers.U32;

/// <summary>The per-node counters (tc_u32_pcnt and the mark's success count), shared by a node and its replacement.</summary>
public sealed class U32NodeCounters
{
    public U32NodeCounters(int keys) => KeyHits = new ulong[keys];

    /// <summary>pf->rcnt: times the node was looked at.</summary>
    public ulong Tried;

    /// <summary>pf->rhit: times it matched as a terminal node.</summary>
    public ulong Hits;

    /// <summary>pf->kcnts[]: per key, times it matched.</summary>
    public readonly ulong[] KeyHits;

    /// <summary>pcpu_success: times the mark matched.</summary>
    public ulong MarkSuccess;
}
