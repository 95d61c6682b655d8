using System.Buffers.Binary;
using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Packets;

/// <summary>
/// Completes transport checksums that the sending stack left to "hardware" (CHECKSUM_PARTIAL): the checksum field
/// then holds only the folded pseudo-header sum (udp4_hwcsum(), __tcp_v4_send_check()) and whoever puts the frame on
/// a wire must finish it. A packet socket hands such frames over with TP_STATUS_CSUMNOTREADY; a frame that leaves
/// through another port unfinished would be dropped by the receiver as corrupt.
/// </summary>
public static class ChecksumCompletion
{
    /// <summary>
    /// skb_checksum_help(): sums the frame from <paramref name="csumStart"/> to its end (the field's seed included)
    /// and stores the folded complement at <paramref name="csumStart"/> + <paramref name="csumOffset"/>.
    /// </summary>
    public static bool Complete(Span<byte> frame, int csumStart, int csumOffset, int end = -1)
    {
        if (end < 0) end = frame.Length;
        int field = csumStart + csumOffset;
        if (csumStart < 0 || field + 2 > end || end > frame.Length) return false;
        ushort c = (ushort)~Checksum.Fold(Checksum.Sum(frame[csumStart..end]));
        // A UDP checksum that computes to zero is sent as all ones (RFC 768; the kernel's CSUM_MANGLED_0).
        if (c == 0) c = 0xFFFF;
        BinaryPrimitives.WriteUInt16BigEndian(frame[field..], c);
        return true;
    }

    /// <summary>
    /// Computes the TCP or UDP checksum of <paramref name="frame"/> from scratch (the field's old contents ignored):
    /// how a partial checksum is finished when the port reports only that it is partial, not where it starts.
    /// False when the frame is not a whole TCP/UDP datagram.
    /// </summary>
    public static bool CompleteFromHeaders(Span<byte> frame)
    {
        if (!FrameLayout.TryParse(frame, out FrameLayout layout)) return false;
        return CompleteFromHeaders(frame, in layout);
    }

    public static bool CompleteFromHeaders(Span<byte> frame, in FrameLayout layout)
    {
        if (!TryFindField(in layout, out int field)) return false;
        int l4Length = layout.L3End - layout.L4Offset;
        if (field + 2 > layout.L3End) return false;
        BinaryPrimitives.WriteUInt16BigEndian(frame[field..], 0);
        ulong sum = layout.PseudoHeaderSum(frame, l4Length);
        ushort c = (ushort)~Checksum.Fold(Checksum.Sum(frame[layout.L4Offset..layout.L3End], sum));
        if (c == 0 && layout.L4Protocol == IpProtocol.Udp) c = 0xFFFF;
        BinaryPrimitives.WriteUInt16BigEndian(frame[field..], c);
        return true;
    }

    /// <summary>
    /// For ports that cannot say whether a checksum is partial (libpcap drops TP_STATUS_CSUMNOTREADY): a TCP/UDP
    /// field holding exactly the folded pseudo-header sum is a partial one. A finished checksum collides with it
    /// once in 65536 frames, and recomputing it from scratch then yields the same correct value.
    /// </summary>
    public static bool LooksPartial(ReadOnlySpan<byte> frame, in FrameLayout layout)
    {
        if (!TryFindField(in layout, out int field) || field + 2 > layout.L3End) return false;
        ushort stored = BinaryPrimitives.ReadUInt16BigEndian(frame[field..]);
        if (stored == 0) return false; // UDP without a checksum
        return stored == Checksum.Fold(layout.PseudoHeaderSum(frame, layout.L3End - layout.L4Offset));
    }

    /// <summary>Finishes the checksum when <see cref="LooksPartial"/>; true when it did.</summary>
    public static bool RepairIfPartial(Span<byte> frame, in FrameLayout layout) =>
        LooksPartial(frame, in layout) && CompleteFromHeaders(frame, in layout);

    private static bool TryFindField(in FrameLayout layout, out int field)
    {
        field = -1;
        if (!layout.HasL4 || layout.IsFragment || layout.L3End < 0) return false;
        if (layout.L4Protocol == IpProtocol.Tcp) field = layout.L4Offset + TcpPacket.ChecksumOffset;
        else if (layout.L4Protocol == IpProtocol.Udp) field = layout.L4Offset + UdpPacket.ChecksumOffset;
        else return false;
        return true;
    }
}
