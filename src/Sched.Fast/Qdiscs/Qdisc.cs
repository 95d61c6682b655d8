using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs;

/// <summary>
/// A queueing discipline: the contract of Linux's <c>struct Qdisc_ops</c>. A qdisc tree is driven by exactly one
/// thread, so qdiscs take no locks. Time is passed in; nothing here reads a clock.
/// <para>
/// Ownership: <see cref="Enqueue"/> takes the packet whatever it returns (queued, or freed exactly once, possibly a
/// different packet dropped in its place). <see cref="Dequeue"/> hands a packet to the caller.
/// </para>
/// <para>
/// Counters follow the kernel: <see cref="QdiscStats.Qlen"/> and <see cref="QdiscStats.Backlog"/> are what this qdisc
/// holds (children included for classful qdiscs), Bytes/Packets count what it handed out, Drops what it dropped.
/// When a qdisc drops packets it had already counted in its backlog outside an enqueue (codel drops at dequeue, a
/// limit lowered by change), it must call <see cref="TreeReduceBacklog"/> so its ancestors stay consistent.
/// </para>
/// </summary>
public abstract class Qdisc
{
    private Packet? _peeked;
    private TimeNs _watchdog = TimeNs.Never;

    protected Qdisc(QdiscContext context)
    {
        Context = context;
        Handle = context.Handle;
        Parent = context.Parent;
    }

    /// <summary>The kind's name as tc prints it ("fq_codel").</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// TCQ_F_CAN_BYPASS: a work-conserving qdisc whose packet may go straight to the device when it holds nothing and
    /// is not running (__dev_xmit_skb()); the datapath then counts it as sent without an enqueue and a dequeue.
    /// </summary>
    public virtual bool CanBypass => false;

    public QdiscContext Context { get; }

    /// <summary>This qdisc's handle (major:0).</summary>
    public uint Handle { get; internal set; }

    /// <summary>The classid this qdisc is attached under: TC_H_ROOT, TC_H_INGRESS, or a class of the parent qdisc.</summary>
    public uint Parent { get; internal set; }

    /// <summary>The classful qdisc whose class holds this one as its leaf; null at the root.</summary>
    public ClassfulQdisc? ParentQdisc { get; internal set; }

    /// <summary>
    /// A qdisc the kernel never adds to the device's qdisc hash, so tc never lists it, not even with "invisible":
    /// noop_qdisc, and the pfifo htb_delete()/htb_graft() make with qdisc_create_dflt() without qdisc_hash_add().
    /// </summary>
    public bool Unlisted { get; internal set; }

    public QdiscStats Stats { get; } = new();

    /// <summary>The rate estimator's view of <see cref="Stats"/>, when one is attached.</summary>
    public RateEstimator? Estimator
    {
        get => Stats.Estimator;
        set => Stats.Estimator = value;
    }

    /// <summary>Packets held (sch->q.qlen).</summary>
    public int QueueLength => Stats.Qlen;

    /// <summary>Bytes held (sch->qstats.backlog).</summary>
    public uint BacklogBytes => Stats.Backlog;

    // ---- data path ----

    /// <summary>Queues <paramref name="packet"/> or drops it (or another). The qdisc owns the packet afterwards.</summary>
    public abstract EnqueueResult Enqueue(Packet packet, TimeNs now);

    /// <summary>The next packet to send, or null (empty, or throttled: then <see cref="NextWakeup"/> says when).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Packet? Dequeue(TimeNs now)
    {
        // The kernel's watchdog is a one-shot hrtimer: once its time has come it has fired, and only a new
        // qdisc_watchdog_schedule_ns() arms it again. A stored deadline that has passed must not mask later ones.
        if (_watchdog <= now) _watchdog = TimeNs.Never;
        Packet? p = _peeked;
        if (p is null) return DequeueCore(now);
        // qdisc_dequeue_peeked(): the packet was already counted out by DequeueCore when it was peeked.
        _peeked = null;
        Stats.Backlog -= (uint)p.QdiscLength;
        Stats.Qlen--;
        return p;
    }

    /// <summary>The kind's dequeue (ops->dequeue). Update Bytes/Packets/Qlen/Backlog as the kernel does.</summary>
    protected abstract Packet? DequeueCore(TimeNs now);

    /// <summary>
    /// The packet the next <see cref="Dequeue"/> will return, without removing it. The default is the kernel's
    /// qdisc_peek_dequeued(): dequeue it now and hold it aside, still counted in qlen/backlog. Kinds with a natural
    /// peek (a FIFO's head) override.
    /// </summary>
    public virtual Packet? Peek(TimeNs now)
    {
        if (_peeked is null)
        {
            if (_watchdog <= now) _watchdog = TimeNs.Never;
            _peeked = DequeueCore(now);
            if (_peeked is not null)
            {
                Stats.Backlog += (uint)_peeked.QdiscLength;
                Stats.Qlen++;
            }
        }
        return _peeked;
    }

    /// <summary>
    /// The packet a default <see cref="Peek"/> took out of the kind's queue and holds aside (the kernel's
    /// gso_skb), still counted in qlen/backlog; null when none. Lets a kind's invariants account for it.
    /// </summary>
    protected Packet? Peeked => _peeked;

    /// <summary>Drops everything held and clears qlen/backlog (qdisc_reset()); other counters remain.</summary>
    public void Reset()
    {
        if (_peeked is not null)
        {
            _peeked.Free();
            _peeked = null;
        }
        ResetCore();
        Stats.Qlen = 0;
        Stats.Backlog = 0;
        _watchdog = TimeNs.Never;
    }

    /// <summary>The kind's reset (ops->reset): free every queued packet and reset per-flow state.</summary>
    protected abstract void ResetCore();

    /// <summary>
    /// After a <see cref="Dequeue"/> that returned null while packets are held: the earliest time a dequeue can
    /// succeed (the kernel's qdisc_watchdog), or <see cref="TimeNs.Never"/>. Classful qdiscs include their children.
    /// </summary>
    public virtual TimeNs NextWakeup(TimeNs now) => _watchdog;

    /// <summary>qdisc_watchdog_schedule_ns(): ask to be dequeued again at <paramref name="time"/>.</summary>
    protected void ScheduleWatchdog(TimeNs time) => _watchdog = time;

    /// <summary>qdisc_watchdog_cancel().</summary>
    protected void CancelWatchdog() => _watchdog = TimeNs.Never;

    protected TimeNs Watchdog => _watchdog;

    // ---- control path ----

    /// <summary>
    /// Applies new options (ops->change). Validate the whole spec first and throw <see cref="TcException"/> before
    /// changing anything: a qdisc is never left half-changed. Queued packets stay where Linux keeps them.
    /// </summary>
    public virtual void Change(QdiscSpec spec) =>
        throw TcException.Kernel("Change operation not supported by specified qdisc.");

    /// <summary>The options as the kernel would dump them (TCA_OPTIONS), for the kind's printer.</summary>
    public abstract QdiscSpec Dump();

    /// <summary>Kind-specific statistics (TCA_STATS_APP), or null.</summary>
    public virtual object? DumpXstats() => null;

    /// <summary>Called when the qdisc is destroyed (deleted, replaced): free everything, release children.</summary>
    public virtual void Destroy() => Reset();

    // ---- helpers with the kernel's names and meaning ----

    /// <summary>qdisc_drop(): count a drop and free the packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected EnqueueResult DropPacket(Packet p)
    {
        Stats.Drops++;
        p.Free();
        return EnqueueResult.Drop;
    }

    /// <summary>qdisc_qstats_backlog_inc() + qlen++: a packet is now held.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void CountQueued(Packet p)
    {
        Stats.Backlog += (uint)p.QdiscLength;
        Stats.Qlen++;
    }

    /// <summary>A held packet leaves towards the parent: backlog/qlen down, bstats up (qdisc_bstats_update).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void CountDequeued(Packet p)
    {
        Stats.Backlog -= (uint)p.QdiscLength;
        Stats.Qlen--;
        Stats.CountSent(p.QdiscLength);
    }

    /// <summary>
    /// qdisc_tree_reduce_backlog(): this qdisc lost <paramref name="packets"/> packets / <paramref name="bytes"/>
    /// bytes that its ancestors still count; walk up, fixing their qlen/backlog, counting the drops, and telling
    /// each parent when its child became empty (qlen_notify) so it can deactivate the class.
    /// </summary>
    public void TreeReduceBacklog(int packets, int bytes)
    {
        int drops = Math.Max(packets, 0);
        Qdisc child = this;
        for (ClassfulQdisc? parent = ParentQdisc; parent is not null; parent = parent.ParentQdisc)
        {
            bool notify = child.Stats.Qlen == 0;
            if (notify) parent.QlenNotify(child.Parent);
            parent.Stats.Qlen -= packets;
            parent.Stats.Backlog -= (uint)bytes;
            parent.Stats.Drops += (uint)drops;
            child = parent;
        }
    }

    /// <summary>
    /// qdisc_purge_queue(): drop everything held and tell the ancestors, which count those packets as drops
    /// (a leaf replaced or deleted under a live tree).
    /// </summary>
    public void PurgeQueue()
    {
        int qlen = Stats.Qlen;
        uint backlog = Stats.Backlog;
        Reset();
        TreeReduceBacklog(qlen, (int)backlog);
    }

    /// <summary>Checks qlen/backlog against what is actually held. Kinds list their own invariants.</summary>
    [Conditional("DEBUG")]
    public virtual void AssertInvariants()
    {
        Debug.Assert(Stats.Qlen >= 0, $"{Kind}: negative qlen {Stats.Qlen}");
    }

    public override string ToString() => $"{Kind} {TcHandle.Format(Handle)}";
}
