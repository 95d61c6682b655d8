using Sched.Fast.Classifiers;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs;

/// <summary>
/// A qdisc with classes (Linux's <c>struct Qdisc_class_ops</c>): find, add, change and delete classes, graft a leaf
/// qdisc onto a class, walk the classes, and the filter blocks of the qdisc and of its classes.
/// </summary>
public abstract class ClassfulQdisc : Qdisc
{
    protected ClassfulQdisc(QdiscContext context) : base(context) => Filters = new FilterBlock();

    /// <summary>The filters attached to the qdisc itself (tc filter add ... parent HANDLE:).</summary>
    public FilterBlock Filters { get; }

    /// <summary>cops->find.</summary>
    public abstract QdiscClass? FindClass(uint classId);

    /// <summary>cops->walk: every class, in the order tc lists them.</summary>
    public abstract IEnumerable<QdiscClass> WalkClasses();

    /// <summary>
    /// cops->change for a new class. Validate fully before changing anything. A kind without cops->change answers
    /// EOPNOTSUPP without a message (sch_api.c tc_ctl_tclass()), which tc prints as "RTNETLINK answers: ...".
    /// </summary>
    public virtual QdiscClass AddClass(uint classId, uint parentClassId, ClassSpec? spec) =>
        throw TcException.Errno(Errno.EOPNOTSUPP);

    /// <summary>cops->change for an existing class.</summary>
    public virtual void ChangeClass(QdiscClass cl, uint parentClassId, ClassSpec? spec) =>
        throw TcException.Errno(Errno.EOPNOTSUPP);

    /// <summary>cops->delete (tclass_del_notify(): EOPNOTSUPP when the kind has none).</summary>
    public virtual void DeleteClass(QdiscClass cl) =>
        throw TcException.Errno(Errno.EOPNOTSUPP);

    /// <summary>
    /// cops->graft: attach <paramref name="newLeaf"/> (null: the kind's default leaf) under <paramref name="cl"/> and
    /// return the previous leaf, already purged (its packets counted as drops up the tree). The caller destroys it.
    /// </summary>
    public abstract Qdisc Graft(QdiscClass cl, Qdisc? newLeaf);

    /// <summary>cops->qlen_notify: the leaf under <paramref name="classId"/> just became empty.</summary>
    public virtual void QlenNotify(uint classId) { }

    /// <summary>
    /// Whether the kind has cops->tcf_block at all. netem has none: "tc filter" on it fails with "Class doesn't
    /// support blocks" whatever the class.
    /// </summary>
    public virtual bool HasFilterBlocks => true;

    /// <summary>cops->tcf_block: the filter block of a class, for kinds that classify at inner classes (htb, drr, ...).</summary>
    public virtual FilterBlock? ClassFilters(QdiscClass cl) => null;

    /// <summary>The earliest of this qdisc's own watchdog and its leaves' wake-ups.</summary>
    public override TimeNs NextWakeup(TimeNs now)
    {
        TimeNs t = Watchdog;
        foreach (QdiscClass cl in WalkClasses())
        {
            // A leaf's wake-up at or before now already fired (its timer would have run the tree then).
            if (cl.Leaf is { QueueLength: > 0 } leaf && leaf.NextWakeup(now) is var w && w > now) t = TimeNs.Min(t, w);
        }
        return t;
    }

    /// <summary>qdisc_replace(): swap the leaf in <paramref name="slot"/>, purging the old one's queue.</summary>
    protected Qdisc ReplaceLeaf(ref Qdisc slot, Qdisc newLeaf, uint classId)
    {
        Qdisc old = slot;
        newLeaf.ParentQdisc = this;
        newLeaf.Parent = classId;
        slot = newLeaf;
        old.PurgeQueue();
        return old;
    }

    public override void Destroy()
    {
        base.Destroy();
        FlushFilters();
        foreach (QdiscClass cl in WalkClasses()) cl.Leaf?.Destroy();
    }

    /// <summary>
    /// tcf_block_put() of the blocks this qdisc owns: its filters go with it, releasing their actions and class
    /// bindings. Qdiscs whose blocks may be shared with others (ingress, clsact) flush only their private ones.
    /// </summary>
    protected virtual void FlushFilters()
    {
        Filters.Flush();
        foreach (QdiscClass cl in WalkClasses())
        {
            if (ClassFilters(cl) is { } block && !ReferenceEquals(block, Filters)) block.Flush();
        }
    }
}
