namespace Sched.Fast.Qdiscs.FqCodel;

/// <summary>
/// A flow of fq_codel as tc class show lists it (fq_codel_walk/fq_codel_dump_class_stats): classid handle:idx+1,
/// the flow's queue length and backlog, and its xstats; no byte counters. A snapshot made when walking.
/// </summary>
public sealed class FqCodelClass : QdiscClass
{
    private readonly FqCodelClassXstats _xstats;

    internal FqCodelClass(uint classId, uint parentClassId, int qlen, uint backlog, FqCodelClassXstats xstats)
        : base(classId, parentClassId)
    {
        Stats.Qlen = qlen;
        Stats.Backlog = backlog;
        _xstats = xstats;
    }

    public override Qdisc? Leaf => null;

    public override bool HasBasicStats => false;

    public override ClassSpec? Dump() => null;

    public override object? DumpXstats() => _xstats;
}
