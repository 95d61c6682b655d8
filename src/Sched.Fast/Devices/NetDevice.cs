using Sched.Fast.Qdiscs;

namespace Sched.Fast.Devices;

/// <summary>
/// The tc view of a network device (struct net_device as net/sched sees it): its name and index, MTU and
/// txqueuelen (which fifo defaults derive from), and the qdiscs attached to it: the egress root and the ingress or
/// clsact qdisc. A port of the forwarder owns one; the offline tc mode creates them on first mention.
/// </summary>
public sealed class NetDevice
{
    public NetDevice(string name, int ifIndex, int mtu = 1500, int txQueueLength = 1000)
    {
        Name = name;
        IfIndex = ifIndex;
        Mtu = mtu;
        TxQueueLength = txQueueLength;
    }

    public string Name { get; }
    public int IfIndex { get; }
    public int Mtu { get; set; }

    /// <summary>dev->tx_queue_len: pfifo's default limit, bfifo's in MTUs.</summary>
    public int TxQueueLength { get; set; }

    /// <summary>dev->hard_header_len: 14 for Ethernet.</summary>
    public int HardHeaderLength { get; set; } = 14;

    /// <summary>Number of TX queues (mq/mqprio build one child per queue).</summary>
    public int TxQueueCount { get; set; } = 1;

    /// <summary>The link speed in Mbit/s when known (tc's percentage rates), else null.</summary>
    public long? SpeedMbit { get; set; }

    /// <summary>The egress root qdisc (dev->qdisc). Never null: a device without one has noqueue.</summary>
    public Qdisc? Root { get; set; }

    /// <summary>The ingress or clsact qdisc (handle ffff:), when one is attached.</summary>
    public Qdisc? Ingress { get; set; }

    /// <summary>psched_mtu(): the largest frame the device sends, MTU plus link header.</summary>
    public int PschedMtu => Mtu + HardHeaderLength;

    public override string ToString() => Name;
}
