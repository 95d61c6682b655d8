namespace Sched.Fast.Qdiscs.Sfq;

/// <summary>
/// An active hash bucket of sfq as tc class show lists it (sfq_walk/sfq_dump_class_stats): classid
/// handle:bucket+1, the slot's queue length and backlog, its allot as xstats; no byte counters. A snapshot.
/// </summary>
public sealed class SfqClass : QdiscClass
{
    private readonly SfqXstats _xstats;

    internal SfqClass(uint classId, uint parentClassId, int qlen, uint backlog, int allot) : base(classId, parentClassId)
    {
        Stats.Qlen = qlen;
        Stats.Backlog = backlog;
        _xstats = new SfqXstats(allot);
    }

    public override Qdisc? Leaf => null;

    public override bool HasBasicStats => false;

    public override ClassSpec? Dump() => null;

    public override object? DumpXstats() => _xstats;
}
