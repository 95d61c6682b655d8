using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Time;

namespace Forwarder.Tests.Support;

/// <summary>A test qdisc that holds each packet for a fixed time (a minimal netem delay) and asks for a watchdog.</summary>
internal sealed class DelayQdisc(QdiscContext context, long delayNs) : Qdisc(context)
{
    private PacketQueue _queue;

    public override string Kind => "testdelay";

    public override EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        packet.Meta.TstampNs = now.Value + delayNs;
        _queue.EnqueueTail(packet);
        CountQueued(packet);
        return EnqueueResult.Success;
    }

    protected override Packet? DequeueCore(TimeNs now)
    {
        Packet? head = _queue.Head;
        if (head is null) return null;
        if (now.Value < head.Meta.TstampNs)
        {
            ScheduleWatchdog(new TimeNs(head.Meta.TstampNs));
            return null;
        }
        _queue.DequeueHead();
        CountDequeued(head);
        return head;
    }

    protected override void ResetCore() => _queue.Purge();

    public override QdiscSpec Dump() => throw new NotSupportedException();
}
