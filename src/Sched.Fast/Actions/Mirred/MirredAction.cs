using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Packets;

namespace Sched.Fast.Actions.Mirred;

/// <summary>
/// Redirect or mirror to another device's egress or ingress (net/sched/act_mirred.c tcf_mirred_act()). A copy
/// goes to the target through the device table's <see cref="IPacketRedirector"/>; the verdict is the action's
/// (stolen for redirect, so the caller frees the original; pipe for mirror). The kernel avoids the copy for a
/// redirect at ingress by reinserting the original; here the copy is always made, which changes cost, not
/// behaviour. Nesting deeper than four mirred actions on one thread shoots the packet, as MIRRED_NEST_LIMIT does.
/// </summary>
public sealed class MirredAction : TcAction
{
    /// <summary>MIRRED_NEST_LIMIT.</summary>
    public const int NestLimit = 4;

    [ThreadStatic]
    private static int t_nestLevel;

    private readonly DeviceTable _devices;

    public MirredAction(uint index, DeviceTable devices) : base(index) => _devices = devices;

    public override string Kind => "mirred";

    public MirredEAction EAction { get; private set; }

    /// <summary>The target device (tcfm_dev), or null when it went away.</summary>
    public NetDevice? Device { get; private set; }

    internal void Set(MirredEAction eaction, NetDevice? device)
    {
        EAction = eaction;
        if (device is not null) Device = device;
    }

    public bool IsRedirect => EAction is MirredEAction.EgressRedirect or MirredEAction.IngressRedirect;

    public bool WantsIngress => EAction is MirredEAction.IngressRedirect or MirredEAction.IngressMirror;

    public override int Act(Packet packet, ref ClassifyResult result)
    {
        if (++t_nestLevel > NestLimit)
        {
            t_nestLevel--;
            return TcAct.Shot;
        }
        try
        {
            TouchLastUse(packet);
            CountPacket(packet);
            int verdict = Control;
            NetDevice? dev = Device;
            IPacketRedirector? redirector = _devices.Redirector;
            Packet? copy = dev is not null && redirector is not null ? packet.Clone() : null;
            if (copy is null) return CannotDo(verdict);

            // skb2->skb_iif = skb->dev->ifindex; skb2->dev = dev.
            ref PacketMetadata m = ref copy.Meta;
            m.IngressIfIndex = packet.Meta.IfIndex;
            m.IfIndex = dev!.IfIndex;
            bool sent = WantsIngress ? redirector!.ToIngress(dev, copy) : redirector!.ToEgress(dev, copy);
            if (!sent) Stats.Overlimits++;
            return verdict;
        }
        finally
        {
            t_nestLevel--;
        }
    }

    /// <summary>err_cant_do: a redirect that cannot happen drops the packet; a mirror lets it go on.</summary>
    private int CannotDo(int verdict)
    {
        Stats.Overlimits++;
        return IsRedirect ? TcAct.Shot : verdict;
    }

    public override ActionSpec DumpOptions() => new MirredSpec
    {
        Index = Index,
        Control = Control,
        EAction = EAction,
        IfIndex = Device is { } d && _devices.Find(d.IfIndex) == d ? d.IfIndex : 0,
    };
}
