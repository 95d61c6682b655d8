using System.Buffers.Binary;

namespace Sched.Fast.Packets;

/// <summary>
/// ECN marking (RFC 3168) as qdiscs do it (include/net/inet_ecn.h INET_ECN_set_ce()): a packet of an ECN-capable
/// transport (ECT(0) or ECT(1)) gets Congestion Experienced; IPv4's header checksum is updated incrementally
/// (RFC 1624). Not-ECT packets cannot be marked.
/// </summary>
public static class Ecn
{
    public const byte NotEct = 0, Ect1 = 1, Ect0 = 2, Ce = 3;

    /// <summary>Marks CE. Returns false when the packet is not IP or not ECN-capable (the caller then drops).</summary>
    public static bool TrySetCe(Packet packet)
    {
        Span<byte> f = packet.Data;
        if (!TryFindIp(f, out int off, out ushort type)) return false;
        if (type == 0x0800)
        {
            if (f.Length < off + 20) return false;
            byte tos = f[off + 1];
            int ecn = tos & 3;
            if (ecn == NotEct) return false;
            if (ecn == Ce) return true;
            // ipv4_change_dsfield: the checksum covers the TOS byte as the low half of the first word.
            ushort oldWord = BinaryPrimitives.ReadUInt16BigEndian(f[off..]);
            f[off + 1] = (byte)(tos | Ce);
            ushort newWord = BinaryPrimitives.ReadUInt16BigEndian(f[off..]);
            ushort check = BinaryPrimitives.ReadUInt16BigEndian(f[(off + 10)..]);
            BinaryPrimitives.WriteUInt16BigEndian(f[(off + 10)..], Checksum.Update16(check, oldWord, newWord));
            return true;
        }
        if (type == 0x86DD)
        {
            if (f.Length < off + 40) return false;
            // Traffic class spans the low nibble of byte 0 and the high nibble of byte 1; ECN is its low 2 bits.
            int ecn = (f[off + 1] >> 4) & 3;
            if (ecn == NotEct) return false;
            f[off + 1] |= Ce << 4;
            return true;
        }
        return false;
    }

    /// <summary>The ECN field of an IP packet, or -1 when the frame is not IP.</summary>
    public static int Get(ReadOnlySpan<byte> frame)
    {
        if (!TryFindIp(frame, out int off, out ushort type)) return -1;
        if (type == 0x0800) return frame.Length >= off + 20 ? frame[off + 1] & 3 : -1;
        return frame.Length >= off + 40 ? (frame[off + 1] >> 4) & 3 : -1;
    }

    private static bool TryFindIp(ReadOnlySpan<byte> f, out int off, out ushort type)
    {
        off = 14;
        type = 0;
        if (f.Length < 14) return false;
        type = BinaryPrimitives.ReadUInt16BigEndian(f[12..]);
        for (int tags = 0; (type == 0x8100 || type == 0x88A8) && tags < 2; tags++)
        {
            if (f.Length < off + 4) return false;
            type = BinaryPrimitives.ReadUInt16BigEndian(f[(off + 2)..]);
            off += 4;
        }
        return type is 0x0800 or 0x86DD;
    }
}
