using Sched.Fast.Actions;
using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;

namespace Forwarder.Datapath;

/// <summary>
/// What sch_handle_ingress() and sch_handle_egress() share: the hook's block runs on the packet, counted on the hook
/// qdisc, and the verdict decides. OK and RECLASSIFY store the class minor in tc_index and go on, as do PIPE and no
/// match; SHOT drops (counted); STOLEN, QUEUED and TRAP consume; REDIRECT goes where bpf_redirect() said
/// (skb_do_redirect()).
/// </summary>
internal static class HookClassifier
{
    /// <summary>True when the packet goes on; false when the hook consumed it (<paramref name="shot"/>: by SHOT).</summary>
    public static bool Run(Qdisc hook, FilterBlock block, Packet packet, int countedLength, DeviceTable? devices, out bool shot)
    {
        shot = false;
        hook.Stats.CountSent(countedLength);
        ClassifyResult result = default;
        switch (block.Classify(packet, ref result))
        {
            case TcAct.Ok:
            case TcAct.Reclassify:
                packet.Meta.TcIndex = (ushort)(result.ClassId & 0xFFFF);
                return true;
            case TcAct.Shot:
                hook.Stats.Drops++;
                packet.Free();
                shot = true;
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
