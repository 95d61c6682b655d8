using System.Buffers.Binary;
using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Packets;

/// <summary>
/// Software TCP segmentation (the kernel's tcp_gso_segment() + inet_gso_segment()/ipv6_gso_segment()) for the
/// super-frames that GRO and TSO hand to a packet socket: one frame of up to 64 KB becomes MSS-sized segments, each
/// with the original headers and: IPv4 total length, an identification incremented per segment and a fresh header
/// checksum (or IPv6 payload length); a sequence number advanced by the bytes before it; FIN and PSH on the last
/// segment only and CWR on the first only; a complete TCP checksum. Queues then see and count what the wire
/// carries (the kernel accounts gso_segs packets and every segment's bytes).
/// </summary>
public static class TcpSegmenter
{
    /// <summary>
    /// The segments <paramref name="frame"/> splits into when IP packets may be at most <paramref name="mtu"/>
    /// bytes (and segments carry at most <paramref name="gsoSize"/> bytes when it is positive); 1 when it fits
    /// already; 0 when it is too big but cannot be segmented (not TCP, a fragment, or the headers leave no room).
    /// </summary>
    public static int CountSegments(in FrameLayout layout, ReadOnlySpan<byte> frame, int mtu, int gsoSize = 0)
    {
        if (layout.L3Offset < 0 || layout.L3End - layout.L3Offset <= mtu) return 1;
        if (!TryGetMss(in layout, frame, mtu, gsoSize, out int headerBytes, out int mss)) return 0;
        int payload = layout.L3End - headerBytes;
        return (payload + mss - 1) / mss;
    }

    /// <summary>
    /// Writes the segments of <paramref name="frame"/> into packets rented from <paramref name="pool"/>, stored in
    /// <paramref name="output"/> from index 0 (data at the pool's headroom, metadata clear). Returns how many, or 0
    /// when the frame cannot be segmented, the output is too small or the pool runs dry (nothing is left rented).
    /// </summary>
    public static int Segment(ReadOnlySpan<byte> frame, in FrameLayout layout, int mtu, int gsoSize, PacketPool pool,
        Span<Packet> output)
    {
        if (!TryGetMss(in layout, frame, mtu, gsoSize, out int headerBytes, out int mss)) return 0;
        int payload = layout.L3End - headerBytes;
        int count = (payload + mss - 1) / mss;
        if (count > output.Length || headerBytes + mss > pool.MaxFrameBytes) return 0;
        int rented = 0;
        for (; rented < count; rented++)
        {
            Packet? p = pool.Rent();
            if (p is null) break;
            output[rented] = p;
        }
        if (rented < count)
        {
            for (int i = 0; i < rented; i++) output[i].Free();
            return 0;
        }

        ReadOnlySpan<byte> headers = frame[..headerBytes];
        int l3Header = layout.L4Offset - layout.L3Offset;
        Ipv4Packet ip4;
        ushort id0 = layout.IsIpv4
            ? BinaryPrimitives.ReadUInt16BigEndian(frame[(layout.L3Offset + Ipv4Packet.IdentificationOffset)..])
            : (ushort)0;
        uint seq0 = BinaryPrimitives.ReadUInt32BigEndian(frame[(layout.L4Offset + TcpPacket.SequenceOffset)..]);
        byte flags0 = frame[layout.L4Offset + TcpPacket.FlagsOffset];

        for (int i = 0; i < count; i++)
        {
            int chunk = Math.Min(mss, payload - i * mss);
            Packet p = output[i];
            p.SetData(pool.Headroom, headerBytes + chunk);
            Span<byte> seg = p.Data;
            headers.CopyTo(seg);
            frame.Slice(headerBytes + i * mss, chunk).CopyTo(seg[headerBytes..]);

            int l3Length = l3Header + (headerBytes - layout.L4Offset) + chunk;
            if (layout.IsIpv4)
            {
                ip4 = Ipv4Packet.CreateUnchecked(seg[layout.L3Offset..]);
                ip4.TotalLength = (ushort)l3Length;
                ip4.Identification = (ushort)(id0 + i);
                ip4.FillChecksum();
            }
            else
            {
                Ipv6Packet.CreateUnchecked(seg[layout.L3Offset..]).PayloadLength = (ushort)(l3Length - Ipv6Packet.HeaderLength);
            }

            TcpPacket tcp = TcpPacket.CreateUnchecked(seg[layout.L4Offset..]);
            tcp.SequenceNumber = seq0 + (uint)(i * mss);
            byte flags = flags0;
            if (i != count - 1) flags &= unchecked((byte)~(TcpPacket.FlagFin | TcpPacket.FlagPsh));
            if (i != 0) flags &= unchecked((byte)~TcpPacket.FlagCwr);
            tcp.Flags = flags;
            FrameLayout segLayout = layout;
            segLayout.L3End = layout.L3Offset + l3Length;
            ChecksumCompletion.CompleteFromHeaders(seg, in segLayout);
        }
        return count;
    }

    private static bool TryGetMss(in FrameLayout layout, ReadOnlySpan<byte> frame, int mtu, int gsoSize,
        out int headerBytes, out int mss)
    {
        headerBytes = 0;
        mss = 0;
        if (layout.L4Protocol != IpProtocol.Tcp || !layout.HasL4 || layout.IsFragment) return false;
        if (!layout.IsIpv4 && !layout.IsIpv6) return false;
        if (frame.Length < layout.L4Offset + TcpPacket.MinHeaderLength) return false;
        int tcpHeader = (frame[layout.L4Offset + TcpPacket.DataOffsetOffset] >> 4) * 4;
        if (tcpHeader < TcpPacket.MinHeaderLength) return false;
        headerBytes = layout.L4Offset + tcpHeader;
        if (headerBytes > layout.L3End) return false;
        mss = mtu - (headerBytes - layout.L3Offset);
        if (gsoSize > 0) mss = Math.Min(mss, gsoSize);
        return mss > 0;
    }
}
