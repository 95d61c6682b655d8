using System.Buffers.Binary;
using Sched.Fast.Packets;

namespace Sched.Fast.Tests.Classifiers.Support;

/// <summary>Builds test frames (Ethernet, optional 802.1Q tag, IPv4/IPv6 with UDP or TCP, or raw) into pooled packets.</summary>
public static class FrameBuilder
{
    public static readonly byte[] SrcMac = [0x02, 0, 0, 0, 0, 0x01];
    public static readonly byte[] DstMac = [0x02, 0, 0, 0, 0, 0x02];

    /// <summary>An IPv4 frame: protocol 17 (UDP) or 6 (TCP) with ports, or anything else with zero payload.</summary>
    public static byte[] Ipv4(uint src, uint dst, byte proto = 17, ushort sport = 1000, ushort dport = 2000,
        byte tos = 0, int payload = 18, int ihl = 5, ushort? vlanTci = null, ushort fragOff = 0)
    {
        int l4 = proto == 6 ? 20 : 8;
        int ipLen = ihl * 4 + l4 + payload;
        int tag = vlanTci is null ? 0 : 4;
        var f = new byte[14 + tag + ipLen];
        SrcMac.CopyTo(f, 6);
        DstMac.CopyTo(f, 0);
        int p = 12;
        if (vlanTci is { } tci)
        {
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x8100);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14), tci);
            p = 16;
        }
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(p), 0x0800);
        Span<byte> ip = f.AsSpan(p + 2);
        ip[0] = (byte)(0x40 | ihl);
        ip[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLen);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], fragOff);
        ip[8] = 64;
        ip[9] = proto;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], src);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dst);
        Span<byte> l4h = ip[(ihl * 4)..];
        BinaryPrimitives.WriteUInt16BigEndian(l4h, sport);
        BinaryPrimitives.WriteUInt16BigEndian(l4h[2..], dport);
        return f;
    }

    /// <summary>An IPv6/UDP frame.</summary>
    public static byte[] Ipv6(byte[] src, byte[] dst, byte next = 17, ushort sport = 1000, ushort dport = 2000)
    {
        var f = new byte[14 + 40 + 8 + 10];
        SrcMac.CopyTo(f, 6);
        DstMac.CopyTo(f, 0);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x86DD);
        Span<byte> ip = f.AsSpan(14);
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 18);
        ip[6] = next;
        ip[7] = 64;
        src.CopyTo(ip[8..]);
        dst.CopyTo(ip[24..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[40..], sport);
        BinaryPrimitives.WriteUInt16BigEndian(ip[42..], dport);
        return f;
    }

    /// <summary>A pooled packet holding <paramref name="frame"/>, with skb->protocol set from its EtherType.</summary>
    public static Packet Load(PacketPool pool, byte[] frame, uint mark = 0, uint priority = 0, int ifIndex = 7,
        int ingressIfIndex = 0)
    {
        Packet p = pool.Rent() ?? throw new InvalidOperationException("pool exhausted");
        p.Load(frame);
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        if (type == 0x8100) type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16));
        p.Protocol = type;
        p.Mark = mark;
        p.Priority = priority;
        p.Meta.IfIndex = ifIndex;
        p.Meta.IngressIfIndex = ingressIfIndex;
        p.Meta.ArrivalNs = 1_000_000_000;
        return p;
    }

    public static uint Ip(string dotted) =>
        BinaryPrimitives.ReadUInt32BigEndian(System.Net.IPAddress.Parse(dotted).GetAddressBytes());
}
