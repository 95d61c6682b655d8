using System.Diagnostics;
using System.Numerics;
using Sched.Fast.Classifiers;
using Sched.Fast.Shaping;
using Sched.Fast.Tc;

namespace Sched.Fast.Qdiscs.Htb;

/// <summary>htb's control path: classes (htb_change_class, htb_delete, htb_graft), reset, dumps, invariants.</summary>
public sealed partial class HtbQdisc
{
    /// <summary>htb_reset(): empty every leaf and the direct queue; all classes can send; rows and feeds cleared.</summary>
    protected override void ResetCore()
    {
        foreach (List<HtbClass> bucket in _classes.Buckets)
        {
            foreach (HtbClass cl in bucket)
            {
                if (cl.Level != 0) cl.ClearInner();
                else cl.LeafQdisc?.Reset();
                cl.PrioActivity = 0;
                cl.Mode = HtbClassMode.CanSend;
                // The kernel wipes the trees with memset and leaves the nodes stale; clear them for the invariants.
                cl.PqNode.Clear();
                foreach (RbNode n in cl.Nodes) n.Clear();
                cl.SyncQueueStats();
            }
        }
        _direct.Purge();
        foreach (HtbLevel level in _levels) level.Clear();
        Array.Clear(_rowMask);
    }

    public override QdiscSpec Dump() =>
        new HtbSpec((uint)_rate2Quantum, _defaultClass, _directQueueLength, _directPackets, _offload);

    // ---- classes ----

    public override QdiscClass? FindClass(uint classId) => _classes.Find(classId);

    public override IEnumerable<QdiscClass> WalkClasses() => _classes.InDumpOrder();

    public override FilterBlock? ClassFilters(QdiscClass cl) => cl.Filters;

    /// <summary>
    /// htb_change_class() for a new class: always a leaf with a default pfifo. A parent that was a leaf becomes an
    /// inner class one level below its own parent (its queue is dropped). A parent that does not exist is not an
    /// error: the class becomes a top class, as in the kernel.
    /// </summary>
    public override QdiscClass AddClass(uint classId, uint parentClassId, ClassSpec? spec)
    {
        HtbClassSpec hopt = Validate(spec);
        HtbClass? parent = parentClassId == TcHandle.Root ? null : _classes.Find(parentClassId);
        if (classId == 0 || TcHandle.Major(classId ^ Handle) != 0 || _classes.Find(classId) is not null)
            throw InvalidArgument();
        // "htb: tree is too deep" goes to the kernel log: at most 8 levels.
        if (parent?.ParentClass is { } grandparent && grandparent.Level < 2) throw InvalidArgument();

        var cl = new HtbClass(classId) { Filters = new FilterBlock() };
        Qdisc leaf = Context.CreateDefault("pfifo", 0, classId);
        Qdisc? oldParentLeaf = null;
        if (parent is not null && parent.Level == 0)
        {
            // Turn the parent into an inner node.
            oldParentLeaf = parent.LeafQdisc;
            oldParentLeaf?.PurgeQueue();
            Deactivate(parent);
            if (parent.Mode != HtbClassMode.CanSend)
            {
                _levels[0].WaitQueue.Erase(parent.PqNode);
                parent.Mode = HtbClassMode.CanSend;
            }
            parent.Level = (parent.ParentClass?.Level ?? MaxDepth) - 1;
            parent.ClearInner();
            parent.LeafQdisc = null;
            parent.SyncQueueStats();
        }

        leaf.ParentQdisc = this;
        leaf.Parent = classId;
        cl.LeafQdisc = leaf;
        cl.SetParent(parent);
        cl.RateBucket = new TokenBucket(Psched.TicksToNs(hopt.BufferTicks));
        cl.CeilBucket = new TokenBucket(Psched.TicksToNs(hopt.CBufferTicks));
        cl.MBufferNs = MBufferNs;
        cl.CheckpointNs = 0; // ktime_get_ns(): buckets start full, so the first refill is capped either way
        cl.Mode = HtbClassMode.CanSend;
        _classes.Insert(cl);
        if (parent is not null) parent.ChildCount++;

        Apply(cl, hopt);
        _classes.Grow();
        oldParentLeaf?.Destroy();
        return cl;
    }

    /// <summary>htb_change_class() for an existing class: rates, buffers, and for a leaf quantum and prio.</summary>
    public override void ChangeClass(QdiscClass cl, uint parentClassId, ClassSpec? spec)
    {
        HtbClassSpec hopt = Validate(spec);
        Apply((HtbClass)cl, hopt);
        _classes.Grow();
    }

    private static HtbClassSpec Validate(ClassSpec? spec)
    {
        if (spec is not HtbClassSpec hopt || hopt.Rate.Rate == 0 || hopt.Ceil.Rate == 0) throw InvalidArgument();
        return hopt;
    }

    /// <summary>The part of htb_change_class() common to new and existing classes. Tokens are not touched.</summary>
    private void Apply(HtbClass cl, HtbClassSpec hopt)
    {
        cl.Rate = PschedRate.Precompute(hopt.Rate, hopt.Rate64);
        cl.Ceil = PschedRate.Precompute(hopt.Ceil, hopt.Ceil64);
        if (cl.Level == 0)
        {
            ulong quantum = cl.Rate.RateBytesPerSecond / (ulong)_rate2Quantum;
            cl.Quantum = (int)Math.Min(quantum, int.MaxValue);
            // "quantum of class %X is small/big. Consider r2q change." goes to the kernel log.
            if (hopt.Quantum == 0 && cl.Quantum < 1000) cl.Quantum = 1000;
            if (hopt.Quantum == 0 && cl.Quantum > 200_000) cl.Quantum = 200_000;
            if (hopt.Quantum != 0) cl.Quantum = unchecked((int)hopt.Quantum);
            cl.Prio = hopt.Prio >= NumPrio ? NumPrio - 1 : (int)hopt.Prio;
        }
        cl.RateBucket.DepthNs = Psched.TicksToNs(hopt.BufferTicks);
        cl.CeilBucket.DepthNs = Psched.TicksToNs(hopt.CBufferTicks);
    }

    /// <summary>
    /// htb_delete(): only a class without children or bound filters. The last child of a parent turns the parent
    /// back into a leaf with a fresh pfifo and full buckets.
    /// </summary>
    public override void DeleteClass(QdiscClass qc)
    {
        var cl = (HtbClass)qc;
        if (cl.ChildCount != 0 || cl.FilterBindCount != 0) throw TcException.Errno(Errno.EBUSY);
        bool lastChild = cl.Level == 0 && cl.ParentClass is { ChildCount: <= 1 };
        Qdisc? newParentLeaf = lastChild ? UnlistedPfifo(cl.ParentClass!.ClassId) : null;

        if (cl.Level == 0) cl.LeafQdisc?.PurgeQueue();
        _classes.Remove(cl);
        if (cl.ParentClass is not null) cl.ParentClass.ChildCount--;
        Deactivate(cl);
        if (cl.Mode != HtbClassMode.CanSend) _levels[cl.Level].WaitQueue.Erase(cl.PqNode);
        if (lastChild) ParentToLeaf(cl, newParentLeaf!);
        cl.LeafQdisc?.Destroy();
    }

    /// <summary>htb_parent_to_leaf().</summary>
    private void ParentToLeaf(HtbClass cl, Qdisc newLeaf)
    {
        HtbClass parent = cl.ParentClass!;
        if (parent.Mode != HtbClassMode.CanSend) _levels[parent.Level].WaitQueue.Erase(parent.PqNode);
        parent.Level = 0;
        parent.ClearInner();
        newLeaf.ParentQdisc = this;
        newLeaf.Parent = parent.ClassId;
        parent.LeafQdisc = newLeaf;
        parent.RateBucket.Fill();
        parent.CeilBucket.Fill();
        parent.Mode = HtbClassMode.CanSend;
        parent.SyncQueueStats();
    }

    /// <summary>htb_graft(): leaves only; no new qdisc means a default pfifo.</summary>
    public override Qdisc Graft(QdiscClass qc, Qdisc? newLeaf)
    {
        var cl = (HtbClass)qc;
        if (cl.Level != 0) throw InvalidArgument();
        newLeaf ??= UnlistedPfifo(cl.ClassId);
        Qdisc slot = cl.LeafQdisc!;
        Qdisc old = ReplaceLeaf(ref slot, newLeaf, cl.ClassId);
        cl.LeafQdisc = slot;
        cl.SyncQueueStats();
        return old;
    }

    /// <summary>
    /// The pfifo htb_delete() and htb_graft() make with qdisc_create_dflt() but, unlike a new class's leaf, never
    /// add to the qdisc hash: "tc qdisc show invisible" does not list it. (Context.CreateDefault would list it.)
    /// </summary>
    private Qdisc UnlistedPfifo(uint classId)
    {
        Qdisc q = (QdiscKinds.Find("pfifo") ?? throw new InvalidOperationException("pfifo is not registered"))
            .Create(null, Context.For(0, classId));
        q.Unlisted = true;
        return q;
    }

    public override void Destroy()
    {
        base.Destroy();
        _direct.Purge();
    }

    // ---- invariants ----

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        _direct.AssertInvariants();
        long qlen = _direct.Count, backlog = _direct.Bytes;
        var children = new Dictionary<HtbClass, int>();
        foreach (HtbClass cl in _classes.InDumpOrder())
        {
            Debug.Assert(cl.Level is >= 0 and < MaxDepth, $"htb: {cl} has a bad level");
            Debug.Assert(cl.Mode != HtbClassMode.CanSend == cl.PqNode.IsLinked,
                $"htb: {cl} is in the event queue iff it cannot send");
            // (Tokens may exceed a bucket's depth after a change lowered it: the kernel caps them at the next charge.)
            if (cl.ParentClass is { } p)
            {
                children[p] = children.GetValueOrDefault(p) + 1;
                Debug.Assert(p.Level > cl.Level, $"htb: {cl} is not below its parent");
            }
            if (cl.Level == 0)
            {
                Qdisc leaf = cl.LeafQdisc!;
                Debug.Assert(leaf is not null, $"htb: leaf {cl} has no qdisc");
                leaf.AssertInvariants();
                qlen += leaf.QueueLength;
                backlog += leaf.BacklogBytes;
                // Active at one priority: the one it had when activated (a change of prio applies at the next one).
                if (leaf.QueueLength > 0) Debug.Assert(cl.PrioActivity != 0, $"htb: {cl} holds packets but is not active");
                Debug.Assert(cl.PrioActivity == 0 || BitOperations.PopCount((uint)cl.PrioActivity) == 1,
                    $"htb: leaf {cl} is active at several priorities");
            }
            for (int prio = 0; prio < NumPrio; prio++)
            {
                bool inTree = cl.Nodes[prio].IsLinked;
                bool active = (cl.PrioActivity & (1 << prio)) != 0;
                Debug.Assert(inTree == (active && cl.Mode != HtbClassMode.CantSend && (cl.Mode == HtbClassMode.CanSend || cl.ParentClass is not null)),
                    $"htb: {cl} prio {prio}: linked {inTree} but activity {cl.PrioActivity:x} mode {cl.Mode}");
                if (cl.Level > 0) Debug.Assert(active == !cl.InnerPrio[prio].Tree.IsEmpty, $"htb: {cl} prio {prio} activity differs from its feed");
            }
        }
        foreach (HtbClass cl in _classes.InDumpOrder())
            Debug.Assert(cl.ChildCount == children.GetValueOrDefault(cl), $"htb: {cl} counts {cl.ChildCount} children");
        for (int level = 0; level < MaxDepth; level++)
        {
            for (int prio = 0; prio < NumPrio; prio++)
            {
                bool bit = (_rowMask[level] & (1 << prio)) != 0;
                Debug.Assert(bit == !_levels[level].Prios[prio].Tree.IsEmpty, $"htb: row mask of level {level} prio {prio}");
            }
        }
        // A peeked packet has left its leaf but is still counted here (qdisc_peek_dequeued()).
        long extra = Stats.Qlen - qlen;
        Debug.Assert(extra is 0 or 1, $"htb: qlen {Stats.Qlen} but {qlen} held");
        if (extra == 0) Debug.Assert(backlog == Stats.Backlog, $"htb: backlog {Stats.Backlog} but {backlog} held");
    }
}
