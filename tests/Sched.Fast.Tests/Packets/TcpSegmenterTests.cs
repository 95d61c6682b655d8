using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;
using Sched.Fast.Tests.Packets.Wire;

namespace Sched.Fast.Tests.Packets;

public sealed class TcpSegmenterTests
{
    private const int Mtu = 1500;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Splits_a_super_frame_into_mss_sized_segments_that_carry_the_payload_in_order(bool ipv6)
    {
        using var pool = new PacketPool(64);
        const int payload = 4000;
        byte[] super = SuperFrames.Tcp(ipv6, payload, seq: 0xFFFF_FF00); // the sequence number wraps inside
        Assert.True(FrameLayout.TryParse(super, out FrameLayout layout));
        int mss = Mtu - (ipv6 ? 40 : 20) - SuperFrames.TcpHeaderBytes;
        Assert.Equal(3, TcpSegmenter.CountSegments(in layout, super, Mtu));

        var output = new Packet[8];
        int n = TcpSegmenter.Segment(super, in layout, Mtu, gsoSize: 0, pool, output);

        Assert.Equal(3, n);
        int carried = 0;
        for (int i = 0; i < n; i++)
        {
            Span<byte> seg = output[i].Data;
            Assert.True(FrameLayout.TryParse(seg, out FrameLayout sl));
            Assert.True(sl.L3End - sl.L3Offset <= Mtu);
            int chunk = Math.Min(mss, payload - carried);
            Assert.Equal(sl.L4Offset + SuperFrames.TcpHeaderBytes + chunk, seg.Length);
            TcpPacket tcp = TcpPacket.CreateUnchecked(seg[sl.L4Offset..sl.L3End]);
            Assert.Equal(unchecked(0xFFFF_FF00u + (uint)carried), tcp.SequenceNumber);
            Assert.True(tcp.VerifyChecksum(sl.PseudoHeaderSum(seg, sl.L3End - sl.L4Offset)), $"segment {i} checksum");
            for (int j = 0; j < chunk; j++) Assert.Equal(SuperFrames.Pattern(carried + j), tcp.Payload[j]);
            if (!ipv6)
            {
                Ipv4Packet ip = Ipv4Packet.CreateUnchecked(seg[14..]);
                Assert.Equal(0x1234 + i, ip.Identification);
                Assert.True(ip.VerifyChecksum());
            }
            carried += chunk;
        }
        Assert.Equal(payload, carried);
        foreach (Packet p in output.AsSpan(0, n)) p.Free();
        Assert.Equal(pool.Count, pool.Available);
    }

    [Fact]
    public void Fin_and_psh_stay_on_the_last_segment_and_cwr_on_the_first()
    {
        using var pool = new PacketPool(16);
        byte flags = TcpPacket.FlagAck | TcpPacket.FlagPsh | TcpPacket.FlagFin | TcpPacket.FlagCwr;
        byte[] super = SuperFrames.Tcp(false, 3000, flags: flags);
        Assert.True(FrameLayout.TryParse(super, out FrameLayout layout));
        var output = new Packet[4];
        int n = TcpSegmenter.Segment(super, in layout, Mtu, 0, pool, output);
        Assert.Equal(3, n);
        byte Flags(int i) => output[i].Data[14 + 20 + TcpPacket.FlagsOffset];
        Assert.Equal(TcpPacket.FlagAck | TcpPacket.FlagCwr, Flags(0));
        Assert.Equal(TcpPacket.FlagAck, Flags(1));
        Assert.Equal(TcpPacket.FlagAck | TcpPacket.FlagPsh | TcpPacket.FlagFin, Flags(2));
    }

    [Fact]
    public void A_gso_size_below_the_mtu_limits_each_segment()
    {
        using var pool = new PacketPool(16);
        byte[] super = SuperFrames.Tcp(false, 3000);
        Assert.True(FrameLayout.TryParse(super, out FrameLayout layout));
        Assert.Equal(3, TcpSegmenter.CountSegments(in layout, super, Mtu, gsoSize: 1000));
        var output = new Packet[4];
        Assert.Equal(3, TcpSegmenter.Segment(super, in layout, Mtu, 1000, pool, output));
        Assert.Equal(14 + 20 + 32 + 1000, output[0].Length);
    }

    [Fact]
    public void A_frame_within_the_mtu_counts_as_one_and_non_tcp_oversize_as_zero()
    {
        byte[] small = SuperFrames.Tcp(false, 1000);
        Assert.True(FrameLayout.TryParse(small, out FrameLayout layout));
        Assert.Equal(1, TcpSegmenter.CountSegments(in layout, small, Mtu));
        byte[] bigUdp = Sched.Fast.Tests.Support.TestFrames.Udp(3000);
        Assert.True(FrameLayout.TryParse(bigUdp, out FrameLayout udpLayout));
        Assert.Equal(0, TcpSegmenter.CountSegments(in udpLayout, bigUdp, Mtu));
    }

    [Fact]
    public void A_dry_pool_leaves_nothing_rented()
    {
        using var pool = new PacketPool(2);
        byte[] super = SuperFrames.Tcp(false, 4000);
        Assert.True(FrameLayout.TryParse(super, out FrameLayout layout));
        Assert.Equal(0, TcpSegmenter.Segment(super, in layout, Mtu, 0, pool, new Packet[8]));
        Assert.Equal(2, pool.Available);
    }
}
