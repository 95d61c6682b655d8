using Sched.Fast.Packets;

namespace Sched.Fast.Devices;

/// <summary>
/// How tc actions hand a packet to another device (mirred, bpf_redirect): the host implements it. The forwarder's
/// datapath queues the packet to the device's egress qdisc (dev_queue_xmit) or runs its ingress hook
/// (netif_receive_skb), crossing threads through its rings when the device belongs to another scheduler; the
/// offline tc mode enqueues to the device's root qdisc. The callee owns the packet in every case.
/// </summary>
public interface IPacketRedirector
{
    /// <summary>Send <paramref name="packet"/> out of <paramref name="device"/>; false when it was dropped.</summary>
    bool ToEgress(NetDevice device, Packet packet);

    /// <summary>Deliver <paramref name="packet"/> as received on <paramref name="device"/>; false when it was dropped.</summary>
    bool ToIngress(NetDevice device, Packet packet);
}
