using Sched.Fast.Devices;
using Sched.Fast.Packets;

namespace Forwarder.Datapath;

/// <summary>
/// How tc actions (mirred, bpf_redirect) reach another port of this forwarder. Egress enqueues into that port's
/// root qdisc right away (dev_queue_xmit()); ingress goes through a backlog processed after the current burst
/// (netif_rx()), so redirect loops cannot recurse. Called on the datapath thread, which owns every tree.
/// </summary>
internal sealed class DatapathRedirector(Datapath datapath) : IPacketRedirector
{
    public bool ToEgress(NetDevice device, Packet packet) => datapath.RedirectToEgress(device, packet);

    public bool ToIngress(NetDevice device, Packet packet) => datapath.RedirectToIngress(device, packet);
}
