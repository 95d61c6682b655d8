using Forwarder.Ports;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Time;

namespace Forwarder.Datapath;

/// <summary>
/// The scheduler of one egress port: the only code that touches the port's qdisc tree (the kernel's qdisc lock,
/// made structural by ownership). It enqueues into the root qdisc (dev_queue_xmit), and dequeues while the port
/// can take packets (qdisc_restart()/sch_direct_xmit()), in bursts, kicking the port once per burst. A packet the
/// port refused after dequeue waits in a one-packet-deep requeue slot (the kernel's q->gso_skb) and goes first.
/// </summary>
public sealed class EgressScheduler
{
    private const int MaxBurstsPerRun = 4;
    private readonly Packet[] _tx;
    private PacketQueue _requeued;

    public EgressScheduler(IPort port, int burstSize)
    {
        Port = port;
        _tx = new Packet[burstSize];
    }

    public IPort Port { get; }

    /// <summary>The root qdisc, read at every call so that a control command may replace it at a safe point.</summary>
    public Qdisc Root => Port.Device.Root!;

    /// <summary>Packets the port refused after dequeue; counted as requeues.</summary>
    public int RequeuedCount => _requeued.Count;

    /// <summary>The last run left packets held because the port was full (wait for the port, not for time).</summary>
    public bool BlockedOnPort { get; private set; }

    /// <summary>Hands <paramref name="packet"/> to the root qdisc, which owns it afterwards.</summary>
    public EnqueueResult Enqueue(Packet packet, TimeNs now)
    {
        packet.Meta.IfIndex = Port.Device.IfIndex;
        return Root.Enqueue(packet, now);
    }

    /// <summary>Dequeues and sends while the port has room. Returns the packets handed to the port.</summary>
    public int Run(TimeNs now)
    {
        Qdisc root = Root;
        int sent = 0;
        BlockedOnPort = false;
        for (int burst = 0; burst < MaxBurstsPerRun; burst++)
        {
            int room = Port.TxSpace(_tx.Length);
            if (room == 0)
            {
                BlockedOnPort = root.QueueLength > 0 || !_requeued.IsEmpty;
                break;
            }
            int n = 0;
            while (n < room && _requeued.DequeueHead() is { } again) _tx[n++] = again;
            while (n < room && root.Dequeue(now) is { } p) _tx[n++] = p;
            if (n == 0) break;
            int accepted = Port.Send(_tx.AsSpan(0, n), now);
            for (int i = accepted; i < n; i++)
            {
                _requeued.EnqueueTail(_tx[i]);
                root.Stats.Requeues++;
            }
            Array.Clear(_tx, 0, n);
            sent += accepted;
            if (accepted < n)
            {
                BlockedOnPort = true;
                break;
            }
            if (n < room) break; // the qdisc ran dry or is throttled
        }
        if (sent > 0) Port.Flush();
        return sent;
    }

    /// <summary>When this scheduler needs to run again with no new arrivals: the qdisc's watchdog, or never.</summary>
    public TimeNs NextWakeup(TimeNs now)
    {
        Qdisc root = Root;
        return root.QueueLength > 0 ? root.NextWakeup(now) : TimeNs.Never;
    }

    /// <summary>Frees the requeued packets (shutdown).</summary>
    public void Purge() => _requeued.Purge();
}
