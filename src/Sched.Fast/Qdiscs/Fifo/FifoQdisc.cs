using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Fifo;

/// <summary>
/// The fifo family (net/sched/sch_fifo.c). One queue and a limit; they differ in what the limit counts and what
/// gives way when it is reached: pfifo counts packets and drops the arrival, bfifo counts bytes and drops the
/// arrival, pfifo_head_drop counts packets and drops the oldest.
/// </summary>
public abstract class FifoQdisc : Qdisc
{
    private PacketQueue _queue;

    protected FifoQdisc(QdiscContext context, uint limit) : base(context) => Limit = limit;

    /// <summary>sch->limit: packets, or bytes for bfifo.</summary>
    public uint Limit { get; private set; }

    /// <summary>qdisc_enqueue_tail().</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected EnqueueResult EnqueueTail(Packet p)
    {
        _queue.EnqueueTail(p);
        CountQueued(p);
        return EnqueueResult.Success;
    }

    /// <summary>__qdisc_queue_drop_head(): drop the oldest packet; returns its accounted length.</summary>
    protected int DropHead()
    {
        Packet? head = _queue.DequeueHead();
        if (head is null) return 0;
        int len = head.QdiscLength;
        Stats.Backlog -= (uint)len;
        Stats.Qlen--;
        Stats.Drops++;
        head.Free();
        return len;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected override Packet? DequeueCore(TimeNs now)
    {
        Packet? p = _queue.DequeueHead();
        if (p is not null) CountDequeued(p);
        return p;
    }

    /// <summary>qdisc_peek_head(): the head, left in place.</summary>
    public override Packet? Peek(TimeNs now) => _queue.Head;

    protected override void ResetCore() => _queue.Purge();

    public override void Change(QdiscSpec spec)
    {
        if (spec is not FifoSpec f) throw new ArgumentException($"{Kind} expects fifo options", nameof(spec));
        // fifo_init(): a lower limit does not drop what is already queued; the kernel lets the queue drain.
        Limit = f.Limit;
    }

    public override QdiscSpec Dump() => new FifoSpec(Limit);

    public override void AssertInvariants()
    {
        base.AssertInvariants();
        _queue.AssertInvariants();
        Debug.Assert(_queue.Count == Stats.Qlen, $"{Kind}: qlen {Stats.Qlen} but {_queue.Count} queued");
        Debug.Assert(_queue.Bytes == Stats.Backlog, $"{Kind}: backlog {Stats.Backlog} but {_queue.Bytes} queued");
    }
}
