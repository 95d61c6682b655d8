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

    /// <summary>
    /// IFF_UP. On a device that is up, removing the root qdisc attaches the default one again (dev_activate());
    /// on a device that is down the root stays empty (noop_qdisc, which tc does not list).
    /// </summary>
    public bool IsUp { get; set; }

    /// <summary>
    /// The kind dev_activate() attaches when no root qdisc was configured: "noqueue" for IFF_NO_QUEUE devices
    /// (veth, dummy), "pfifo_fast" for a NIC (net.core.default_qdisc's default).
    /// </summary>
    public string DefaultQdiscKind { get; set; } = "noqueue";

    /// <summary>
    /// The egress root qdisc (dev->qdisc); null is the kernel's noop_qdisc (a down device without a configured
    /// root). Change it only through the tc engine (Tc/Kernel/SchedApi), which keeps the kernel's bookkeeping.
    /// </summary>
    public Qdisc? Root { get; set; }

    /// <summary>The ingress or clsact qdisc (handle ffff:), when one is attached.</summary>
    public Qdisc? Ingress { get; set; }

    /// <summary>psched_mtu(): the largest frame the device sends, MTU plus link header.</summary>
    public int PschedMtu => Mtu + HardHeaderLength;

    public override string ToString() => Name;
}
