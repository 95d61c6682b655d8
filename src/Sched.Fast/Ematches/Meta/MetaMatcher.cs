using System.Buffers.Binary;
using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Packets;

namespace Sched.Fast.Ematches.Meta;

/// <summary>
/// em_meta_match(): collects both sides (net/sched/em_meta.c meta_get() with apply_extras: shift, then mask for
/// integers; shift shortens a string) and compares them by the left side's type. A collector that has nothing to
/// report (no route, no socket: a forwarded packet has neither) makes the match fail, as in the kernel.
/// </summary>
internal sealed class MetaMatcher : EmatchMatcher
{
    private readonly MetaEmatch _m;
    private readonly DeviceTable _devices;
    private ulong _random;

    public MetaMatcher(MetaEmatch m, FilterNamespace ns)
    {
        _m = m;
        _devices = ns.Devices;
        _random = ns.RandomSeed ^ 0xD1B54A32D192ED03UL;
    }

    public override bool Match(Packet packet, in PacketHeaders headers)
    {
        int r;
        if (_m.Left.Type == MetaOperand.TypeInt)
        {
            if (!GetInt(_m.Left, packet, headers, out ulong l) || !GetInt(_m.Right, packet, headers, out ulong rv))
                return false;
            r = l == rv ? 0 : l < rv ? -1 : 1;
        }
        else
        {
            if (!GetVar(_m.Left, packet, out ReadOnlySpan<char> l) || !GetVar(_m.Right, packet, out ReadOnlySpan<char> rv))
                return false;
            r = l.Length - rv.Length;
            if (r == 0) r = l.SequenceCompareTo(rv);
        }
        return _m.Left.Op switch
        {
            EmatchFlags.OpndEq => r == 0,
            EmatchFlags.OpndLt => r < 0,
            EmatchFlags.OpndGt => r > 0,
            _ => false,
        };
    }

    private bool GetInt(MetaOperand o, Packet packet, in PacketHeaders h, out ulong value)
    {
        if (o.Id == MetaId.Value)
        {
            value = o.IntValue ?? 0;
            return true;
        }
        if (!Collect(o.Id, packet, h, out value)) return false;
        if (o.Shift != 0) value >>= o.Shift;
        if (o.IntValue is { } mask && mask != 0) value &= mask;
        return true;
    }

    private bool Collect(int id, Packet packet, in PacketHeaders h, out ulong value)
    {
        ref PacketMetadata meta = ref packet.Meta;
        value = 0;
        switch (id)
        {
            case MetaId.Random:
                value = NextRandom();
                return true;
            case MetaId.LoadAvg0:
            case MetaId.LoadAvg1:
            case MetaId.LoadAvg2:
                value = LoadAverage.Hundredths(id - MetaId.LoadAvg0);
                return true;
            case MetaId.Dev:
                value = (ulong)meta.IfIndex;
                return meta.IfIndex != 0;
            case MetaId.Priority:
                value = meta.Priority;
                return true;
            case MetaId.Protocol:
                value = meta.VlanPresent != 0 ? meta.VlanProto : meta.Protocol;
                return true;
            case MetaId.PktType:
                value = meta.PacketType;
                return true;
            case MetaId.PktLen:
                value = (ulong)packet.Length;
                return true;
            case MetaId.DataLen:
                return true; // skb->data_len: the frame is linear
            case MetaId.MacLen:
                value = (ulong)h.Network;
                return true;
            case MetaId.NfMark:
                value = meta.Mark;
                return true;
            case MetaId.TcIndex:
                value = meta.TcIndex;
                return true;
            case MetaId.VlanTag:
                return VlanTag(packet, out value);
            case MetaId.RxHash:
                value = FlowHash.Get(packet);
                return true;
            default:
                // rt_classid, rt_iif need a route; sk_* a local socket.
                return false;
        }
    }

    /// <summary>skb_vlan_tag_get(), else __vlan_get_tag() from the frame.</summary>
    private static bool VlanTag(Packet packet, out ulong value)
    {
        ref PacketMetadata meta = ref packet.Meta;
        if (meta.VlanPresent != 0)
        {
            value = meta.VlanTci;
            return true;
        }
        ReadOnlySpan<byte> f = packet.Data;
        value = 0;
        if (f.Length < 18) return false;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(f[12..]);
        if (type != EtherTypes.Vlan8021Q && type != EtherTypes.Vlan8021AD) return false;
        value = BinaryPrimitives.ReadUInt16BigEndian(f[14..]);
        return true;
    }

    private bool GetVar(MetaOperand o, Packet packet, out ReadOnlySpan<char> value)
    {
        value = default;
        if (o.Id == MetaId.Value)
        {
            value = o.VarValue;
            return true;
        }
        if (o.Id != MetaId.Dev) return false; // sk_bind_if: no socket
        NetDevice? dev = _devices.Find(packet.Meta.IfIndex);
        if (dev is null) return false;
        value = dev.Name;
        if (o.Shift != 0 && o.Shift < value.Length) value = value[..^o.Shift];
        return true;
    }

    /// <summary>get_random_bytes() into an unsigned long.</summary>
    private ulong NextRandom()
    {
        ulong x = _random;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _random = x;
        return x * 0x2545F4914F6CDD1DUL;
    }
}
