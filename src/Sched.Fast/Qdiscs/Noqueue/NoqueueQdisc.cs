using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Sched.Fast.Qdiscs.Noqueue;

/// <summary>
/// noqueue (sch_generic.c noqueue_init): no queue at all; the kernel hands packets straight to the driver and drops
/// them when it is busy. Here the datapath enqueues and dequeues within one burst, so the qdisc passes packets
/// through a queue bounded by one TX burst (<see cref="PassThroughLimit"/>) and drops beyond it, the equivalent of a
/// busy driver. Like the kernel's, it counts no traffic (Sent stays 0, a busy-driver drop is the device's, not the
/// qdisc's); qlen and backlog show the packets in transit for the microseconds they spend here.
/// </summary>
public sealed class NoqueueQdisc(QdiscContext context) : Qdisc(context)
{
    /// <summary>Packets in flight between enqueue and the port's TX burst.</summary>
    public const int PassThroughLimit = 1024;

    private PacketQueue _queue;

    public override string Kind => "noqueue";

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        if (_queue.Count >= PassThroughLimit)
        {
            packet.Free();
            return EnqueueResult.Drop;
        }
        _queue.EnqueueTail(packet);
        CountQueued(packet);
        return EnqueueResult.Success;
    }

    protected override Packet? DequeueCore(TimeNs now)
    {
        Packet? p = _queue.DequeueHead();
        if (p is null) return null;
        Stats.Backlog -= (uint)p.QdiscLength;
        Stats.Qlen--;
        return p;
    }

    public override Packet? Peek(TimeNs now) => _queue.Head;

    protected override void ResetCore() => _queue.Purge();

    public override QdiscSpec Dump() => NoqueueSpec.Instance;
}
