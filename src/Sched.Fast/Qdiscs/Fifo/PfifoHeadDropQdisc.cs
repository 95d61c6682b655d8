using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Fifo;

/// <summary>
/// pfifo_head_drop: a packet limit; when full, the oldest packet gives way to the arrival and the enqueue reports
/// congestion (sch_fifo.c pfifo_tail_enqueue).
/// </summary>
public sealed class PfifoHeadDropQdisc(QdiscContext context, uint limit) : FifoQdisc(context, limit)
{
    public override string Kind => "pfifo_head_drop";

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        if (Limit == 0) return DropPacket(packet);
        if ((uint)Stats.Qlen < Limit) return EnqueueTail(packet);
        uint prevBacklog = Stats.Backlog;
        int droppedLength = DropHead();
        EnqueueTail(packet);
        // The parents counted the dropped packet; fix their backlog by the difference, without a packet count
        // change (one left, one came).
        TreeReduceBacklog(0, (int)(prevBacklog - Stats.Backlog));
        _ = droppedLength;
        return EnqueueResult.Congestion;
    }
}
