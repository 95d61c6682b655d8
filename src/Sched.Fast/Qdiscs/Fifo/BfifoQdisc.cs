using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Fifo;

/// <summary>bfifo: a byte limit on the backlog, tail drop (sch_fifo.c bfifo_enqueue).</summary>
public sealed class BfifoQdisc(QdiscContext context, uint limit) : FifoQdisc(context, limit)
{
    public override string Kind => "bfifo";

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        if ((ulong)Stats.Backlog + (ulong)packet.QdiscLength <= Limit) return EnqueueTail(packet);
        return DropPacket(packet);
    }
}
