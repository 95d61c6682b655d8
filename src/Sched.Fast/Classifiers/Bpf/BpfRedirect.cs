using Bpf.Native.Helpers.Tc;
using Sched.Fast.Devices;
using Sched.Fast.Packets;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// Delivering a packet a tc program redirected (net/core/filter.c skb_do_redirect(), __bpf_redirect()): the hook
/// that got TC_ACT_REDIRECT from a direct-action program calls <see cref="Complete"/>, which sends the packet to the
/// device bpf_redirect() recorded in its metadata, out of it or into its ingress (BPF_F_INGRESS). The callee owns
/// the packet in every case; an unknown device drops it.
/// </summary>
public static class BpfRedirect
{
    /// <summary>skb_do_redirect(): true when the packet was handed on, false when it was dropped (and freed).</summary>
    public static bool Complete(Packet packet, DeviceTable devices)
    {
        ref PacketMetadata m = ref packet.Meta;
        int ifIndex = m.RedirectIfIndex;
        uint flags = m.RedirectFlags;
        m.RedirectIfIndex = 0;
        m.RedirectFlags = 0;
        NetDevice? device = devices.Find(ifIndex);
        IPacketRedirector? redirector = devices.Redirector;
        if (device is null || redirector is null)
        {
            packet.Free();
            return false;
        }
        return Deliver(packet, device, redirector, (flags & RedirectHelpers.Ingress) != 0);
    }

    /// <summary>__bpf_redirect(): skb->dev = dev, then dev_queue_xmit() or the device's receive path.</summary>
    internal static bool Deliver(Packet packet, NetDevice device, IPacketRedirector redirector, bool ingress)
    {
        ref PacketMetadata m = ref packet.Meta;
        if (ingress)
        {
            m.IngressIfIndex = device.IfIndex;
        }
        m.IfIndex = device.IfIndex;
        return ingress ? redirector.ToIngress(device, packet) : redirector.ToEgress(device, packet);
    }
}
