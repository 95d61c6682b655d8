using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Clsact;

namespace Forwarder.Datapath;

/// <summary>
/// clsact's egress hook (net/core/dev.c sch_handle_egress(), Linux 6.1), run by __dev_queue_xmit() before the root
/// qdisc: when the device's clsact qdisc has filters in chain 0 of its egress block (its own, or the shared block
/// egress_block names), the block runs on the packet. OK and RECLASSIFY store the class minor in tc_index and go on,
/// as do PIPE and no match; SHOT drops the packet (counted on clsact; the sender sees NET_XMIT_DROP); STOLEN,
/// QUEUED and TRAP consume it (NET_XMIT_SUCCESS); REDIRECT comes from a direct-action bpf program that called
/// bpf_redirect(): the packet goes to the device it named (skb_do_redirect(), NET_XMIT_SUCCESS). clsact counts what passes its egress hook in the same statistics as its ingress hook.
/// </summary>
public static class EgressHook
{
    /// <summary>
    /// Runs the hook; true when the packet goes on to the root qdisc, false when the hook consumed it (then
    /// <paramref name="result"/> is what dev_queue_xmit() returns).
    /// </summary>
    public static bool Run(Qdisc hookQdisc, Packet packet, DeviceTable? devices, out EnqueueResult result)
    {
        result = EnqueueResult.Success;
        if (hookQdisc is not ClsactQdisc clsact) return true;
        FilterBlock block = clsact.EgressBlock;
        if (!block.HasFilters) return true;
        // qdisc_pkt_len() at egress: the whole frame (the caller set it).
        bool goesOn = HookClassifier.Run(clsact, block, packet, packet.QdiscLength, devices, out bool shot);
        if (shot) result = EnqueueResult.Drop;
        return goesOn;
    }
}
