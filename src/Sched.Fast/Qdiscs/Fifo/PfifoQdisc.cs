using System.Runtime.CompilerServices;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Fifo;

/// <summary>pfifo: a packet limit, tail drop (sch_fifo.c pfifo_enqueue).</summary>
public sealed class PfifoQdisc(QdiscContext context, uint limit) : FifoQdisc(context, limit)
{
    public override string Kind => "pfifo";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        if ((uint)Stats.Qlen < Limit) return EnqueueTail(packet);
        return DropPacket(packet);
    }
}
