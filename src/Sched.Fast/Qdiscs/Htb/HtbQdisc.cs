using System.Numerics;
using System.Runtime.CompilerServices;
using Sched.Fast.Actions;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Shaping;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Htb;

/// <summary>
/// The hierarchical token bucket (net/sched/sch_htb.c, Martin Devera's feed-tree version), function for function.
/// <para>
/// Each class has a rate bucket and a ceil bucket and so a mode: can send (under rate), may borrow (under ceil
/// only) or can't send. Leaves live at level 0, the top classes at level 7. A level's row holds, per priority, the
/// classes of that level that can send and have active leaves beneath; a class that may borrow hangs in its
/// parent's feed instead, so a leaf is served from the lowest level at which an ancestor (or itself) can send, and
/// the bytes are charged to the rate buckets from that level up and to every ceil bucket on the path (lends and
/// borrows are counted where it happens). Within a row, priorities are served lowest first and classes of one
/// priority in deficit round robin by quantum. Mode changes due in the future sit in a per-level event queue,
/// which also tells the watchdog when to come back. Packets for the qdisc's own handle (or with no class and no
/// default class) go to a direct queue served first, unshaped.
/// </para>
/// </summary>
public sealed partial class HtbQdisc : ClassfulQdisc
{
    public const int MaxDepth = 8;   // TC_HTB_MAXDEPTH
    public const int NumPrio = 8;    // TC_HTB_NUMPRIO
    private const long MBufferNs = 60 * TimeNs.NsPerSecond;

    private readonly HtbClassHash _classes = new();
    private readonly HtbLevel[] _levels = new HtbLevel[MaxDepth];
    private readonly long[] _nearEventCache = new long[MaxDepth];
    private readonly int[] _rowMask = new int[MaxDepth];
    private readonly HtbPrio[] _lookupStack = new HtbPrio[MaxDepth];
    private PacketQueue _direct;
    private uint _directQueueLength;
    private uint _directPackets;
    private int _rate2Quantum;
    private uint _defaultClass;
    private bool _offload;
    private long _now; // q->now: the time of the dequeue in progress

    internal HtbQdisc(QdiscContext context, HtbSpec spec) : base(context)
    {
        for (int i = 0; i < MaxDepth; i++) _levels[i] = new HtbLevel();
        _directQueueLength = spec.DirectQueueLength ?? (uint)context.Device.TxQueueLength;
        _rate2Quantum = (int)spec.Rate2Quantum < 1 ? 1 : (int)spec.Rate2Quantum;
        _defaultClass = spec.DefaultClass;
        _offload = spec.Offload;
    }

    public override string Kind => "htb";

    /// <summary>Packets that went through the direct queue (direct_packets_stat).</summary>
    public uint DirectPackets => _directPackets;

    public int ClassCount => _classes.Count;

    // ---- enqueue ----

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        int len = packet.QdiscLength;
        HtbClass? cl = Classify(packet, out EnqueueResult qerr, out bool direct);
        if (direct)
        {
            if (_direct.Count >= _directQueueLength) return DropPacket(packet);
            _direct.EnqueueTail(packet);
            _directPackets++;
        }
        else if (cl is null)
        {
            if ((qerr & EnqueueResult.Bypass) != 0) Stats.Drops++;
            packet.Free(); // shot, or stolen by an action that kept its own copy: the qdisc lets go of it
            return qerr;
        }
        else
        {
            EnqueueResult ret = cl.LeafQdisc!.Enqueue(packet, now);
            if (ret != EnqueueResult.Success)
            {
                if (ret.CountsAsDrop())
                {
                    Stats.Drops++;
                    cl.Stats.Drops++;
                }
                cl.SyncQueueStats();
                return ret;
            }
            Activate(cl);
            cl.SyncQueueStats();
        }
        Stats.Backlog += (uint)len;
        Stats.Qlen++;
        return EnqueueResult.Success;
    }

    /// <summary>
    /// htb_classify(): skb->priority naming a class (or the qdisc itself: direct) wins; else the filters of the
    /// qdisc, then of each inner class they point to, down to a leaf; else the default class if it is a leaf; else
    /// the direct queue. Returns null with <paramref name="direct"/> for the direct queue, null without it to drop.
    /// </summary>
    private HtbClass? Classify(Packet packet, out EnqueueResult qerr, out bool direct)
    {
        direct = false;
        qerr = EnqueueResult.Success | EnqueueResult.Bypass;
        uint priority = packet.Priority;
        if (priority == Handle)
        {
            direct = true;
            return null;
        }
        HtbClass? cl = _classes.Find(priority);
        FilterBlock? block;
        if (cl is not null)
        {
            if (cl.Level == 0) return cl;
            block = cl.Filters;
        }
        else
        {
            block = Filters;
        }

        int hops = 0;
        while (block is not null)
        {
            ClassifyResult res = default;
            int result = block.Classify(packet, ref res);
            if (result < 0) break;
            switch (result)
            {
                case TcAct.Queued:
                case TcAct.Stolen:
                case TcAct.Trap:
                    qerr = EnqueueResult.Success | EnqueueResult.Stolen;
                    return null;
                case TcAct.Shot:
                    return null;
            }
            cl = res.Class as HtbClass;
            if (cl is null)
            {
                if (res.ClassId == Handle)
                {
                    direct = true;
                    return null;
                }
                cl = _classes.Find(res.ClassId);
                if (cl is null) break; // the filter chose a classid that does not exist
            }
            if (cl.Level == 0) return cl;
            if (++hops > MaxDepth) return null; // "htb: classify loop detected, dropping packet"
            block = cl.Filters;
        }
        cl = _classes.Find(TcHandle.Make(Handle, _defaultClass));
        if (cl is null || cl.Level != 0)
        {
            direct = true;
            return null;
        }
        return cl;
    }

    // ---- activation: rows, feeds, modes ----

    /// <summary>htb_add_to_id_tree(): insert by classid.</summary>
    private static void AddToIdTree(RbTree tree, HtbClass cl, int prio)
    {
        RbNode? parent = null;
        RbNode? n = tree.Root;
        bool left = false;
        while (n is not null)
        {
            parent = n;
            left = !(cl.ClassId > n.Owner.ClassId);
            n = left ? n.Left : n.Right;
        }
        tree.Link(cl.Nodes[prio], parent, left);
    }

    /// <summary>htb_add_to_wait_tree(): the class changes mode <paramref name="delay"/> ns from now.</summary>
    private void AddToWaitTree(HtbClass cl, long delay)
    {
        cl.PqKey = _now + delay;
        if (cl.PqKey == _now) cl.PqKey++;
        if (_nearEventCache[cl.Level] > cl.PqKey) _nearEventCache[cl.Level] = cl.PqKey;

        RbTree tree = _levels[cl.Level].WaitQueue;
        RbNode? parent = null;
        RbNode? n = tree.Root;
        bool left = false;
        while (n is not null)
        {
            parent = n;
            left = !(cl.PqKey >= n.Owner.PqKey); // equal keys go right: first come, first served
            n = left ? n.Left : n.Right;
        }
        tree.Link(cl.PqNode, parent, left);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NextRbNode(HtbPrio p)
    {
        if (p.Ptr is not null) p.Ptr = RbTree.Next(p.Ptr);
    }

    /// <summary>htb_add_class_to_row().</summary>
    private void AddClassToRow(HtbClass cl, int mask)
    {
        _rowMask[cl.Level] |= mask;
        while (mask != 0)
        {
            int prio = BitOperations.TrailingZeroCount(mask);
            mask &= ~(1 << prio);
            AddToIdTree(_levels[cl.Level].Prios[prio].Tree, cl, prio);
        }
    }

    /// <summary>htb_remove_class_from_row(): a DRR pointer on the class moves to its successor first.</summary>
    private void RemoveClassFromRow(HtbClass cl, int mask)
    {
        int emptied = 0;
        HtbLevel level = _levels[cl.Level];
        while (mask != 0)
        {
            int prio = BitOperations.TrailingZeroCount(mask);
            mask &= ~(1 << prio);
            HtbPrio hprio = level.Prios[prio];
            if (hprio.Ptr == cl.Nodes[prio]) NextRbNode(hprio);
            hprio.Tree.Erase(cl.Nodes[prio]);
            if (hprio.Tree.IsEmpty) emptied |= 1 << prio;
        }
        _rowMask[cl.Level] &= ~emptied;
    }

    /// <summary>
    /// htb_activate_prios(): hang the class in its parent's feeds while it may borrow, walking up while parents
    /// become newly active; the first ancestor that can send joins its row.
    /// </summary>
    private void ActivatePrios(HtbClass cl)
    {
        HtbClass? p = cl.ParentClass;
        int mask = cl.PrioActivity;
        while (cl.Mode == HtbClassMode.MayBorrow && p is not null && mask != 0)
        {
            int m = mask;
            while (m != 0)
            {
                int prio = BitOperations.TrailingZeroCount(m);
                m &= ~(1 << prio);
                RbTree feed = p.InnerPrio[prio].Tree;
                if (!feed.IsEmpty) mask &= ~(1 << prio); // the parent is already active at this priority
                AddToIdTree(feed, cl, prio);
            }
            p.PrioActivity |= mask;
            cl = p;
            p = cl.ParentClass;
        }
        if (cl.Mode == HtbClassMode.CanSend && mask != 0) AddClassToRow(cl, mask);
    }

    /// <summary>htb_deactivate_prios(): the reverse; a feed pointer on the class is dropped, its classid kept.</summary>
    private void DeactivatePrios(HtbClass cl)
    {
        HtbClass? p = cl.ParentClass;
        int mask = cl.PrioActivity;
        while (cl.Mode == HtbClassMode.MayBorrow && p is not null && mask != 0)
        {
            int m = mask;
            mask = 0;
            while (m != 0)
            {
                int prio = BitOperations.TrailingZeroCount(m);
                m &= ~(1 << prio);
                HtbPrio clp = p.InnerPrio[prio];
                if (clp.Ptr == cl.Nodes[prio])
                {
                    clp.LastPtrId = cl.ClassId;
                    clp.Ptr = null;
                }
                clp.Tree.Erase(cl.Nodes[prio]);
                if (clp.Tree.IsEmpty) mask |= 1 << prio;
            }
            p.PrioActivity &= ~mask;
            cl = p;
            p = cl.ParentClass;
        }
        if (cl.Mode == HtbClassMode.CanSend && mask != 0) RemoveClassFromRow(cl, mask);
    }

    /// <summary>
    /// htb_class_mode(): the mode at t_c + diff; when not can-send, <paramref name="diff"/> becomes the time until
    /// the mode changes. (htb_hysteresis is 0 by default: both thresholds are zero.)
    /// </summary>
    private static HtbClassMode ClassMode(HtbClass cl, ref long diff)
    {
        long toks = cl.CeilBucket.TokensNs + diff;
        if (toks < 0)
        {
            diff = -toks;
            return HtbClassMode.CantSend;
        }
        toks = cl.RateBucket.TokensNs + diff;
        if (toks >= 0) return HtbClassMode.CanSend;
        diff = -toks;
        return HtbClassMode.MayBorrow;
    }

    /// <summary>htb_change_class_mode(): the only way a mode changes; relinks feeds and rows.</summary>
    private void ChangeClassMode(HtbClass cl, ref long diff)
    {
        HtbClassMode newMode = ClassMode(cl, ref diff);
        if (newMode == cl.Mode) return;
        if (newMode == HtbClassMode.CantSend)
        {
            cl.Stats.Overlimits++;
            Stats.Overlimits++;
        }
        if (cl.PrioActivity != 0)
        {
            if (cl.Mode != HtbClassMode.CantSend) DeactivatePrios(cl);
            cl.Mode = newMode;
            if (newMode != HtbClassMode.CantSend) ActivatePrios(cl);
        }
        else
        {
            cl.Mode = newMode;
        }
    }

    /// <summary>htb_activate(): a leaf that got packets joins the feeds for its priority.</summary>
    private void Activate(HtbClass cl)
    {
        if (cl.PrioActivity == 0)
        {
            cl.PrioActivity = 1 << cl.Prio;
            ActivatePrios(cl);
        }
    }

    /// <summary>htb_deactivate().</summary>
    private void Deactivate(HtbClass cl)
    {
        if (cl.PrioActivity == 0) return;
        DeactivatePrios(cl);
        cl.PrioActivity = 0;
    }

    // ---- dequeue ----

    protected override Packet? DequeueCore(TimeNs now)
    {
        // Direct packets first, unshaped, "to minimize cpu work".
        Packet? p = _direct.DequeueHead();
        if (p is not null)
        {
            CountDequeued(p);
            return p;
        }
        if (Stats.Qlen == 0) return null;

        _now = now.Value;
        long nextEvent = _now + 5 * TimeNs.NsPerSecond;
        for (int level = 0; level < MaxDepth; level++)
        {
            long ev = _nearEventCache[level];
            if (_now >= ev)
            {
                ev = DoEvents(level);
                if (ev == 0) ev = _now + TimeNs.NsPerSecond;
                _nearEventCache[level] = ev;
            }
            if (nextEvent > ev) nextEvent = ev;

            int m = ~_rowMask[level];
            while (m != -1)
            {
                int prio = BitOperations.TrailingZeroCount(~m); // ffz(m)
                m |= 1 << prio;
                p = DequeueTree(prio, level, now);
                if (p is not null)
                {
                    CountDequeued(p);
                    return p;
                }
            }
        }
        // The kernel defers to a work item when the event queue had too much to do; here events always complete.
        if (nextEvent > _now) ScheduleWatchdog(new TimeNs(nextEvent));
        return null;
    }

    /// <summary>
    /// htb_do_events(): apply the mode changes due by now at one level; returns the time of the next one, or 0.
    /// (The kernel stops after two jiffies of work; there is no such limit here.)
    /// </summary>
    private long DoEvents(int level)
    {
        RbTree waitQueue = _levels[level].WaitQueue;
        for (;;)
        {
            RbNode? n = RbTree.First(waitQueue.Root);
            if (n is null) return 0;
            HtbClass cl = n.Owner;
            if (cl.PqKey > _now) return cl.PqKey;
            waitQueue.Erase(n);
            long diff = Math.Min(_now - cl.CheckpointNs, cl.MBufferNs);
            ChangeClassMode(cl, ref diff);
            if (cl.Mode != HtbClassMode.CanSend) AddToWaitTree(cl, diff);
        }
    }

    /// <summary>htb_id_find_next_upper(): the node with the smallest classid &gt;= <paramref name="id"/>.</summary>
    private static RbNode? IdFindNextUpper(RbNode? n, uint id)
    {
        RbNode? r = null;
        while (n is not null)
        {
            uint cid = n.Owner.ClassId;
            if (id > cid) n = n.Right;
            else if (id < cid)
            {
                r = n;
                n = n.Left;
            }
            else return n;
        }
        return r;
    }

    /// <summary>
    /// htb_lookup_leaf(): follow the DRR pointers from a row down through the feeds to the leaf they designate,
    /// rewinding a pointer that ran off the end of its tree and advancing its parent's.
    /// </summary>
    private HtbClass? LookupLeaf(HtbPrio hprio, int prio)
    {
        if (hprio.Tree.IsEmpty) return null;
        HtbPrio[] stack = _lookupStack;
        int sp = 0;
        stack[0] = hprio;
        for (int i = 0; i < 65535; i++)
        {
            HtbPrio top = stack[sp];
            if (top.Ptr is null && top.LastPtrId != 0)
                top.Ptr = IdFindNextUpper(top.Tree.Root, top.LastPtrId); // recover the original or next
            top.LastPtrId = 0;
            if (top.Ptr is null)
            {
                // At the right end: rewind, and go up to advance the parent's pointer.
                top.Ptr = RbTree.First(top.Tree.Root);
                if (sp > 0)
                {
                    sp--;
                    if (stack[sp].Ptr is null) return null; // WARN_ON in the kernel
                    NextRbNode(stack[sp]);
                }
            }
            else
            {
                HtbClass cl = top.Ptr.Owner;
                if (cl.Level == 0) return cl;
                stack[++sp] = cl.InnerPrio[prio];
            }
        }
        return null;
    }

    /// <summary>htb_dequeue_tree(): a packet from the row at (prio, level); call only when the row is active.</summary>
    private Packet? DequeueTree(int prio, int level, TimeNs now)
    {
        HtbPrio hprio = _levels[level].Prios[prio];
        HtbClass? start = LookupLeaf(hprio, prio);
        HtbClass? cl = start;
        Packet? skb = null;
        for (;;)
        {
            if (cl is null) return null;
            Qdisc leaf = cl.LeafQdisc!;
            if (leaf.QueueLength == 0)
            {
                // Emptied behind our back (a leaf that drops at enqueue, a graft): deactivate and skip it.
                Deactivate(cl);
                if ((_rowMask[level] & (1 << prio)) == 0) return null;
                HtbClass? next = LookupLeaf(hprio, prio);
                if (cl == start) start = next;
                cl = next;
                continue;
            }
            skb = leaf.Dequeue(now);
            if (skb is not null) break;
            // A non-work-conserving leaf held its packet back: move on.
            NextRbNode(level != 0 ? cl.ParentClass!.InnerPrio[prio] : _levels[0].Prios[prio]);
            cl = LookupLeaf(hprio, prio);
            if (cl == start) break;
        }
        if (skb is null) return null;

        int len = skb.QdiscLength;
        HtbClass c = cl!;
        c.Stats.CountSent(len);
        c.Deficit[level] -= len;
        if (c.Deficit[level] < 0)
        {
            c.Deficit[level] += c.Quantum;
            NextRbNode(level != 0 ? c.ParentClass!.InnerPrio[prio] : _levels[0].Prios[prio]);
        }
        if (c.LeafQdisc!.QueueLength == 0) Deactivate(c);
        ChargeClass(c, level, len);
        c.SyncQueueStats();
        return skb;
    }

    /// <summary>
    /// htb_charge_class(): a packet of <paramref name="bytes"/> left leaf <paramref name="cl"/> borrowing at
    /// <paramref name="level"/>. Every class on the path pays its ceil bucket; those at or above the level pay
    /// their rate bucket (the one at the level lends), those below borrowed. Modes are recomputed on the way up.
    /// </summary>
    private void ChargeClass(HtbClass? cl, int level, int bytes)
    {
        while (cl is not null)
        {
            long diff = Math.Min(_now - cl.CheckpointNs, cl.MBufferNs);
            if (cl.Level >= level)
            {
                if (cl.Level == level) cl.Lends++;
                AccountTokens(ref cl.RateBucket, cl.Rate, cl.MBufferNs, bytes, diff);
            }
            else
            {
                cl.Borrows++;
                cl.RateBucket.TokensNs += diff; // t_c moves: credit the rate bucket for the time
            }
            AccountTokens(ref cl.CeilBucket, cl.Ceil, cl.MBufferNs, bytes, diff);
            cl.CheckpointNs = _now;

            HtbClassMode oldMode = cl.Mode;
            diff = 0;
            ChangeClassMode(cl, ref diff);
            if (oldMode != cl.Mode)
            {
                if (oldMode != HtbClassMode.CanSend) _levels[cl.Level].WaitQueue.Erase(cl.PqNode);
                if (cl.Mode != HtbClassMode.CanSend) AddToWaitTree(cl, diff);
            }
            if (cl.Level != 0) cl.Stats.CountSent(bytes); // leaves were counted at dequeue
            cl = cl.ParentClass;
        }
    }

    /// <summary>htb_accnt_tokens()/htb_accnt_ctokens(): refill by diff, pay, and never owe more than mbuffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccountTokens(ref TokenBucket bucket, in PschedRate rate, long mbuffer, int bytes, long diff)
    {
        long toks = bucket.Refilled(diff) - (long)rate.LengthToNs((uint)bytes);
        if (toks <= -mbuffer) toks = 1 - mbuffer;
        bucket.TokensNs = toks;
    }

    /// <summary>The watchdog, or a leaf's own wake-up when a leaf holds packets it is not ready to release.</summary>
    public override TimeNs NextWakeup(TimeNs now)
    {
        TimeNs t = Watchdog;
        foreach (List<HtbClass> bucket in _classes.Buckets)
        {
            for (int i = 0; i < bucket.Count; i++)
            {
                HtbClass cl = bucket[i];
                if (cl.Level == 0 && cl.LeafQdisc is { QueueLength: > 0 } leaf) t = TimeNs.Min(t, leaf.NextWakeup(now));
            }
        }
        return t;
    }

    /// <summary>htb_qlen_notify(): a leaf became empty outside our dequeue (its own drops, a purge).</summary>
    public override void QlenNotify(uint classId)
    {
        HtbClass? cl = _classes.Find(classId);
        if (cl is null) return;
        Deactivate(cl);
        cl.SyncQueueStats();
    }

    private static TcException InvalidArgument() => TcException.Errno(Errno.EINVAL);
}
