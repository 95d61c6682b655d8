using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs.Ingress;

namespace Forwarder.Datapath;

/// <summary>
/// The ingress hook (net/core/dev.c sch_handle_ingress(), Linux 6.1): when the receiving device has an ingress or
/// clsact qdisc whose ingress block (its own, or the shared block it names with ingress_block) has filters in chain
/// 0, the block runs on the packet with actions. Without filters in chain 0 the kernel has no miniq and the hook
/// does nothing at all, not even count. OK and RECLASSIFY store the class minor in tc_index and let the packet go
/// on, as do PIPE and no match; SHOT drops it, counted on the qdisc; STOLEN, QUEUED and TRAP consume it (the kernel
/// frees it: an action that keeps a packet works on a copy); REDIRECT comes from a direct-action bpf program that
/// called bpf_redirect(): the packet goes to the device it named (skb_do_redirect()).
/// </summary>
public static class IngressHook
{
    /// <summary>Runs the hook; true when the packet goes on to forwarding, false when the hook consumed it.</summary>
    public static bool Run(NetDevice device, Packet packet, DeviceTable? devices = null)
    {
        if (device.Ingress is not HookQdisc hook) return true;
        FilterBlock block = hook.IngressBlock;
        if (!block.HasFilters) return true;
        // The kernel counts qdisc_pkt_len() = skb->len at ingress, where the MAC header has been pulled already.
        return HookClassifier.Run(hook, block, packet, Math.Max(0, packet.Length - device.HardHeaderLength), devices, out _);
    }
}
