using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Sched.Fast.Packets;

/// <summary>
/// What the kernel's flow dissector extracts for hashing (struct flow_keys, reduced to what qdiscs and filters use):
/// the L3 protocol, addresses (IPv4 in the low word; IPv6 folded to 32 bits the way flow_get_u32_src/dst do when
/// hashing), the L4 protocol and ports. Parsing skips VLAN tags and IPv6 extension headers and never reads past the
/// frame; non-first IPv4 fragments carry no ports.
/// </summary>
public struct FlowKeys
{
    public ushort EtherType;
    public byte IpProtocol;
    public uint Src;
    public uint Dst;
    public ushort SrcPort;
    public ushort DstPort;
    public bool HasPorts;

    /// <summary>Extracts the keys from the frame in <paramref name="frame"/> (starting at the Ethernet header).</summary>
    public static FlowKeys Extract(ReadOnlySpan<byte> frame, ushort vlanProtoHeldOutOfBand = 0)
    {
        FlowKeys k = default;
        if (frame.Length < 14) return k;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        int off = 14;
        for (int tags = 0; (type == 0x8100 || type == 0x88A8) && tags < 2; tags++)
        {
            if (frame.Length < off + 4) return k;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[(off + 2)..]);
            off += 4;
        }
        k.EtherType = type;
        int l4;
        byte proto;
        if (type == 0x0800)
        {
            if (frame.Length < off + 20) return k;
            ReadOnlySpan<byte> ip = frame[off..];
            int ihl = (ip[0] & 0x0F) * 4;
            if (ihl < 20 || frame.Length < off + ihl) return k;
            proto = ip[9];
            k.Src = BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
            k.Dst = BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
            k.IpProtocol = proto;
            ushort frag = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
            if ((frag & 0x1FFF) != 0) return k; // a non-first fragment carries no L4 header
            l4 = off + ihl;
        }
        else if (type == 0x86DD)
        {
            if (frame.Length < off + 40) return k;
            ReadOnlySpan<byte> ip = frame[off..];
            k.Src = Fold(ip.Slice(8, 16));
            k.Dst = Fold(ip.Slice(24, 16));
            proto = ip[6];
            l4 = off + 40;
            // Hop-by-hop, routing, fragment and destination options headers.
            for (int hops = 0; hops < 8; hops++)
            {
                if (proto is 0 or 43 or 60)
                {
                    if (frame.Length < l4 + 8) return k;
                    byte next = frame[l4];
                    l4 += (frame[l4 + 1] + 1) * 8;
                    proto = next;
                }
                else if (proto == 44)
                {
                    if (frame.Length < l4 + 8) return k;
                    byte next = frame[l4];
                    bool first = (BinaryPrimitives.ReadUInt16BigEndian(frame[(l4 + 2)..]) & 0xFFF8) == 0;
                    l4 += 8;
                    proto = next;
                    if (!first) { k.IpProtocol = proto; return k; }
                }
                else break;
            }
            k.IpProtocol = proto;
        }
        else
        {
            return k;
        }
        if (proto is 6 or 17 or 132 or 136 && frame.Length >= l4 + 4)
        {
            k.SrcPort = BinaryPrimitives.ReadUInt16BigEndian(frame[l4..]);
            k.DstPort = BinaryPrimitives.ReadUInt16BigEndian(frame[(l4 + 2)..]);
            k.HasPorts = true;
        }
        _ = vlanProtoHeldOutOfBand;
        return k;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fold(ReadOnlySpan<byte> addr16) =>
        BinaryPrimitives.ReadUInt32BigEndian(addr16) ^ BinaryPrimitives.ReadUInt32BigEndian(addr16[4..]) ^
        BinaryPrimitives.ReadUInt32BigEndian(addr16[8..]) ^ BinaryPrimitives.ReadUInt32BigEndian(addr16[12..]);
}
