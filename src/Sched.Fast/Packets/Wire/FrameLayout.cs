using System.Buffers.Binary;

namespace Sched.Fast.Packets.Wire;

/// <summary>
/// Where the layers of an Ethernet frame start, found once with the checked views: up to two VLAN tags, IPv4 or
/// IPv6 (extension headers skipped), and the upper-layer protocol. Offsets are from the start of the frame; -1 when
/// a layer is absent or could not be parsed. Allocation-free; what segmentation and checksum completion start from.
/// </summary>
public struct FrameLayout
{
    /// <summary>The EtherType after any VLAN tags in the frame.</summary>
    public ushort EtherType;
    /// <summary>VLAN tags inside the frame (not those held out of band in metadata).</summary>
    public int VlanTagCount;
    public int L3Offset;
    /// <summary>One past the IP datagram's last byte (its total length); Ethernet padding lies beyond.</summary>
    public int L3End;
    /// <summary>The upper-layer protocol (TCP 6, UDP 17, ...), or 0 when the frame is not IP.</summary>
    public byte L4Protocol;
    public int L4Offset;
    /// <summary>An IPv4 fragment, or an IPv6 packet with a fragment header: no whole upper-layer datagram.</summary>
    public bool IsFragment;

    public readonly bool IsIpv4 => EtherType == Wire.EtherType.Ipv4 && L3Offset >= 0;
    public readonly bool IsIpv6 => EtherType == Wire.EtherType.Ipv6 && L3Offset >= 0;
    public readonly bool HasL4 => L4Offset >= 0;

    /// <summary>Parses <paramref name="frame"/>. False when not even the Ethernet header fits.</summary>
    public static bool TryParse(Span<byte> frame, out FrameLayout layout)
    {
        layout = new FrameLayout { L3Offset = -1, L3End = -1, L4Offset = -1 };
        if (!EthernetFrame.TryCreate(frame, out EthernetFrame eth)) return false;
        ushort type = eth.EtherType;
        int offset = EthernetFrame.HeaderLength;
        while (Wire.EtherType.IsVlan(type) && layout.VlanTagCount < 2)
        {
            if (!VlanHeader.TryCreate(frame[offset..], out VlanHeader tag)) return true;
            type = tag.EtherType;
            offset += VlanHeader.HeaderLength;
            layout.VlanTagCount++;
        }
        layout.EtherType = type;
        if (type == Wire.EtherType.Ipv4)
        {
            if (!Ipv4Packet.TryCreate(frame[offset..], out Ipv4Packet ip)) return true;
            layout.L3Offset = offset;
            layout.L3End = offset + ip.TotalLength;
            layout.L4Protocol = ip.Protocol;
            layout.IsFragment = ip.IsFragment;
            if (ip.FragmentOffsetBytes == 0) layout.L4Offset = offset + ip.HeaderLength;
        }
        else if (type == Wire.EtherType.Ipv6)
        {
            if (!Ipv6Packet.TryCreate(frame[offset..], out Ipv6Packet ip)) return true;
            layout.L3Offset = offset;
            layout.L3End = offset + Ipv6Packet.HeaderLength + ip.PayloadLength;
            if (!ip.TryFindUpperLayer(out byte proto, out int l4, out bool later)) return true;
            layout.L4Protocol = proto;
            layout.IsFragment = later || HasFragmentHeader(ip);
            if (!later) layout.L4Offset = offset + l4;
        }
        return true;
    }

    private static bool HasFragmentHeader(Ipv6Packet ip)
    {
        byte next = ip.NextHeader;
        int offset = Ipv6Packet.HeaderLength;
        Span<byte> b = ip.Buffer;
        for (int i = 0; i < Ipv6Packet.MaxExtensionHeaders && IpProtocol.IsIpv6Extension(next); i++)
        {
            if (next == IpProtocol.Ipv6Fragment) return true;
            if (!Ipv6ExtensionHeader.TryCreate(b[offset..], next, out Ipv6ExtensionHeader ext)) return false;
            next = ext.NextHeader;
            offset += ext.Length;
        }
        return false;
    }

    /// <summary>The pseudo-header sum for the upper layer of this frame with an L4 length of <paramref name="l4Length"/>.</summary>
    public readonly ulong PseudoHeaderSum(ReadOnlySpan<byte> frame, int l4Length)
    {
        if (EtherType == Wire.EtherType.Ipv4)
        {
            ReadOnlySpan<byte> ip = frame[L3Offset..];
            return Checksum.PseudoHeaderV4(ip.Slice(Ipv4Packet.SourceOffset, 4), ip.Slice(Ipv4Packet.DestinationOffset, 4),
                L4Protocol, l4Length);
        }
        ReadOnlySpan<byte> ip6 = frame[L3Offset..];
        return Checksum.PseudoHeaderV6(ip6.Slice(Ipv6Packet.SourceOffset, 16), ip6.Slice(Ipv6Packet.DestinationOffset, 16),
            L4Protocol, l4Length);
    }

    /// <summary>The EtherType at offset 12 (the outermost), without parsing further.</summary>
    public static ushort OuterEtherType(ReadOnlySpan<byte> frame) =>
        frame.Length >= EthernetFrame.HeaderLength ? BinaryPrimitives.ReadUInt16BigEndian(frame[EthernetFrame.EtherTypeOffset..]) : (ushort)0;
}
