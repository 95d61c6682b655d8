using Sched.Fast.Shaping;
using Sched.Fast.Tc;

namespace Sched.Fast.Qdiscs.Htb;

/// <summary>
/// struct htb_class: a leaf (level 0, with a leaf qdisc and DRR deficits) or an inner class (level 1..7, with a
/// feed per priority of the children that borrow from it). Both have a rate bucket and a ceil bucket counted in
/// nanoseconds, a mode computed from them, and xstats. Fields are the kernel's; the qdisc drives them.
/// </summary>
public sealed class HtbClass : QdiscClass
{
    internal HtbClass(uint classId) : base(classId, TcHandle.Root)
    {
        PqNode = new RbNode(this);
        for (int i = 0; i < HtbQdisc.NumPrio; i++)
        {
            Nodes[i] = new RbNode(this);
            InnerPrio[i] = new HtbPrio();
        }
    }

    internal PschedRate Rate;
    internal PschedRate Ceil;
    internal TokenBucket RateBucket;   // tokens / buffer
    internal TokenBucket CeilBucket;   // ctokens / cbuffer
    internal long MBufferNs;           // the most a bucket may fall behind: 60 s
    internal int Prio;
    internal int Quantum;
    internal int Level;
    internal int ChildCount;
    internal HtbClass? ParentClass;
    internal uint Lends, Borrows, Giants;
    internal long CheckpointNs;        // t_c
    internal readonly int[] Deficit = new int[HtbQdisc.MaxDepth];
    internal Qdisc? LeafQdisc;
    internal readonly HtbPrio[] InnerPrio = new HtbPrio[HtbQdisc.NumPrio];
    internal long PqKey;
    internal int PrioActivity;
    internal HtbClassMode Mode = HtbClassMode.CanSend;
    internal readonly RbNode PqNode;
    internal readonly RbNode[] Nodes = new RbNode[HtbQdisc.NumPrio];

    /// <summary>0 for a leaf; inner classes count up to 7 at the top.</summary>
    public int ClassLevel => Level;

    public HtbClassMode ClassMode => Mode;

    public HtbClass? ParentHtbClass => ParentClass;

    public long TokensNs => RateBucket.TokensNs;
    public long CTokensNs => CeilBucket.TokensNs;
    public int DrrQuantum => Quantum;
    public int Priority => Prio;

    public override Qdisc? Leaf => Level == 0 ? LeafQdisc : null;

    internal void SetParent(HtbClass? parent)
    {
        ParentClass = parent;
        ParentClassId = parent?.ClassId ?? TcHandle.Root;
    }

    /// <summary>The leaf's qlen and backlog, which tc -s shows for the class (qdisc_qstats_qlen_backlog()).</summary>
    internal void SyncQueueStats()
    {
        Qdisc? leaf = Leaf;
        Stats.Qlen = leaf?.QueueLength ?? 0;
        Stats.Backlog = leaf?.BacklogBytes ?? 0;
    }

    /// <summary>memset(&amp;cl-&gt;inner, 0): the feeds, and (a union in C) the leaf's deficits.</summary>
    internal void ClearInner()
    {
        foreach (HtbPrio p in InnerPrio) p.Clear();
        Array.Clear(Deficit);
    }

    public override ClassSpec Dump() => new HtbClassSpec(
        Rate.ToRateSpec(),
        Ceil.ToRateSpec(),
        unchecked((uint)Psched.NsToTicks(RateBucket.DepthNs)),
        unchecked((uint)Psched.NsToTicks(CeilBucket.DepthNs)),
        unchecked((uint)Quantum),
        (uint)Level,
        (uint)Prio,
        Rate.RateBytesPerSecond >= 1UL << 32 ? Rate.RateBytesPerSecond : 0,
        Ceil.RateBytesPerSecond >= 1UL << 32 ? Ceil.RateBytesPerSecond : 0);

    /// <summary>htb_dump_class_stats(): tokens in ticks, clamped to int.</summary>
    public override object DumpXstats()
    {
        SyncQueueStats();
        return new HtbClassXstats(Lends, Borrows, Giants, ClampTicks(RateBucket.TokensNs), ClampTicks(CeilBucket.TokensNs));
    }

    private static int ClampTicks(long ns) => (int)Math.Clamp(Psched.NsToTicks(ns), int.MinValue, int.MaxValue);

    public override string ToString() => $"htb class {TcHandle.Format(ClassId)} level {Level} {Mode}";
}
