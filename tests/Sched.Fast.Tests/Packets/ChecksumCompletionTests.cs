using System.Buffers.Binary;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;
using Sched.Fast.Tests.Packets.Wire;

namespace Sched.Fast.Tests.Packets;

public sealed class ChecksumCompletionTests
{
    /// <summary>The captured UDP frame with its checksum replaced by the partial value the kernel leaves.</summary>
    private static byte[] PartialUdp(out byte[] finished)
    {
        finished = WireFrames.UdpHello;
        byte[] f = WireFrames.UdpHello;
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(f.AsSpan(14));
        UdpPacket.CreateUnchecked(ip.Payload).Checksum = Checksum.Fold(ip.PseudoHeaderSum(13));
        return f;
    }

    [Fact]
    public void Completing_at_csum_start_and_offset_gives_the_kernels_checksum()
    {
        byte[] f = PartialUdp(out byte[] finished);
        Assert.True(ChecksumCompletion.Complete(f, csumStart: 34, csumOffset: UdpPacket.ChecksumOffset));
        Assert.Equal(finished, f);
    }

    [Fact]
    public void Completing_from_the_headers_gives_the_kernels_checksum()
    {
        byte[] f = PartialUdp(out byte[] finished);
        Assert.True(ChecksumCompletion.CompleteFromHeaders(f));
        Assert.Equal(finished, f);
    }

    [Fact]
    public void A_partial_checksum_is_recognised_and_a_finished_one_is_not()
    {
        byte[] partial = PartialUdp(out byte[] finished);
        Assert.True(FrameLayout.TryParse(partial, out FrameLayout layout));
        Assert.True(ChecksumCompletion.LooksPartial(partial, in layout));
        Assert.False(ChecksumCompletion.LooksPartial(finished, in layout));
        Assert.True(ChecksumCompletion.RepairIfPartial(partial, in layout));
        Assert.Equal(finished, partial);
        Assert.False(ChecksumCompletion.RepairIfPartial(finished, in layout));
    }

    [Fact]
    public void A_partial_tcp_checksum_over_ipv6_is_completed()
    {
        byte[] f = SuperFrames.Tcp(ipv6: true, payloadBytes: 100);
        Assert.True(FrameLayout.TryParse(f, out FrameLayout layout));
        Assert.True(ChecksumCompletion.LooksPartial(f, in layout));
        Assert.True(ChecksumCompletion.CompleteFromHeaders(f, in layout));
        Assert.True(TcpPacket.CreateUnchecked(f.AsSpan(layout.L4Offset)).VerifyChecksum(layout.PseudoHeaderSum(f, 132)));
    }

    [Fact]
    public void A_udp_checksum_that_computes_to_zero_is_sent_as_all_ones()
    {
        // Find a payload word that makes the sum come out at zero, then check the mangling.
        byte[] f = WireFrames.UdpHello.AsSpan(0, 14 + 20 + 8 + 2).ToArray();
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(f.AsSpan(14));
        ip.TotalLength = 30;
        ip.FillChecksum();
        UdpPacket udp = UdpPacket.CreateUnchecked(ip.Payload);
        udp.Length = 10;
        udp.Checksum = 0;
        ulong pseudo = ip.PseudoHeaderSum(10);
        ushort sumWithoutPayload = Checksum.Fold(Checksum.Sum(f.AsSpan(34, 8), pseudo));
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(42), (ushort)~sumWithoutPayload);
        Assert.True(ChecksumCompletion.CompleteFromHeaders(f));
        Assert.Equal(0xFFFF, udp.Checksum);
    }

    [Fact]
    public void Frames_that_are_not_tcp_or_udp_are_left_alone()
    {
        byte[] icmp = WireFrames.IcmpEchoRequest;
        Assert.False(ChecksumCompletion.CompleteFromHeaders(icmp));
        Assert.Equal(WireFrames.IcmpEchoRequest, icmp);
        Assert.False(ChecksumCompletion.CompleteFromHeaders(WireFrames.ArpRequest));
    }
}
