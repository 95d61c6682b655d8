using System.Buffers.Binary;
using Sched.Fast.Packets;

namespace Sched.Fast.Aqm;

/// <summary>
/// The DS field (RFC 2474: DSCP and the two ECN bits) of an IP packet, as include/net/dsfield.h's
/// skb_get_dsfield() reads it: IPv4's TOS byte, IPv6's traffic class; -1 when the frame is not IP. VLAN tags in
/// the frame are skipped, as skb_protocol(skb, true) does.
/// </summary>
public static class DsField
{
    public static int Get(Packet packet)
    {
        ReadOnlySpan<byte> f = packet.Data;
        if (f.Length < 14) return -1;
        int off = 14;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(f[12..]);
        for (int tags = 0; (type == 0x8100 || type == 0x88A8) && tags < 2; tags++)
        {
            if (f.Length < off + 4) return -1;
            type = BinaryPrimitives.ReadUInt16BigEndian(f[(off + 2)..]);
            off += 4;
        }
        if (type == 0x0800) return f.Length >= off + 20 ? f[off + 1] : -1;
        if (type == 0x86DD) return f.Length >= off + 40 ? (BinaryPrimitives.ReadUInt16BigEndian(f[off..]) >> 4) & 0xFF : -1;
        return -1;
    }
}
