using Sched.Fast.Actions;
using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;

namespace Forwarder.Datapath;

/// <summary>
/// The ingress hook (net/core/dev.c sch_handle_ingress()): when the receiving device has an ingress or clsact qdisc,
/// its filter block runs on the packet with actions. OK, PIPE and no match let the packet go on (OK also stores the
/// class minor in tc_index); SHOT drops it, counted on the ingress qdisc; STOLEN, QUEUED and TRAP consume it (the
/// kernel frees it: an action that keeps a packet works on a copy); REDIRECT comes from a direct-action bpf
/// program that called bpf_redirect(): the packet goes to the device it named (skb_do_redirect()).
/// </summary>
public static class IngressHook
{
    /// <summary>Runs the hook; true when the packet goes on to forwarding, false when the hook consumed it.</summary>
    public static bool Run(NetDevice device, Packet packet, DeviceTable? devices = null)
    {
        if (device.Ingress is not ClassfulQdisc ingress) return true;
        ingress.Stats.CountSent(packet.Length);
        ClassifyResult result = default;
        int verdict = ingress.Filters.Classify(packet, ref result);
        switch (verdict)
        {
            case TcAct.Ok:
                packet.Meta.TcIndex = (ushort)(result.ClassId & 0xFFFF);
                return true;
            case TcAct.Unspec:
            case TcAct.Pipe:
            case TcAct.Reclassify:
                return true;
            case TcAct.Shot:
                ingress.Stats.Drops++;
                packet.Free();
                return false;
            case TcAct.Stolen:
            case TcAct.Queued:
            case TcAct.Trap:
                packet.Free();
                return false;
            case TcAct.Redirect:
                if (devices is not null) BpfRedirect.Complete(packet, devices);
                else packet.Free();
                return false;
            default:
                return true;
        }
    }
}
