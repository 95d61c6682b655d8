namespace Sched.Fast.Qdiscs.Prio;

/// <summary>
/// A band of prio (classid handle:band+1). Its counters are its child qdisc's (prio_dump_class_stats copies the
/// child's bstats and qstats): they are copied into <see cref="QdiscClass.Stats"/> whenever the class is dumped.
/// </summary>
public sealed class PrioClass : QdiscClass
{
    private readonly PrioQdisc _owner;

    internal PrioClass(PrioQdisc owner, int band) : base(ClassIdOf(owner.Handle, band), owner.Handle)
    {
        _owner = owner;
        Band = band;
    }

    private static uint ClassIdOf(uint handle, int band) => Tc.TcHandle.Make(handle, (uint)band + 1);

    /// <summary>The band index (0 is served first).</summary>
    public int Band { get; }

    public override Qdisc? Leaf => _owner.BandQdisc(Band);

    /// <summary>prio has no class options; dumping refreshes the counters from the band's qdisc.</summary>
    public override ClassSpec? Dump()
    {
        SyncStats();
        return null;
    }

    public override object? DumpXstats()
    {
        SyncStats();
        return null;
    }

    /// <summary>prio_dump_class_stats(): the band qdisc's counters are the class's.</summary>
    public void SyncStats()
    {
        QdiscStats from = _owner.BandQdisc(Band).Stats;
        Stats.Bytes = from.Bytes;
        Stats.Packets = from.Packets;
        Stats.Drops = from.Drops;
        Stats.Overlimits = from.Overlimits;
        Stats.Requeues = from.Requeues;
        Stats.Backlog = from.Backlog;
        Stats.Qlen = from.Qlen;
    }
}
