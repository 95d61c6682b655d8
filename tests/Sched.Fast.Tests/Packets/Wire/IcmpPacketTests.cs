using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Tests.Packets.Wire;

public sealed class IcmpPacketTests
{
    [Fact]
    public void Reads_a_captured_echo_request()
    {
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(WireFrames.IcmpEchoRequest.AsSpan(14));
        Assert.True(IcmpPacket.TryCreate(ip.Payload, out IcmpPacket icmp));
        Assert.Equal(IcmpPacket.V4EchoRequest, icmp.Type);
        Assert.Equal(0, icmp.Code);
        Assert.Equal(18138, icmp.Identifier);
        Assert.Equal(1, icmp.SequenceNumber);
        Assert.Equal(WireFrames.Hex("0001 0203 0405 0607"), icmp.Payload.ToArray());
        Assert.True(icmp.VerifyChecksum());
    }

    [Fact]
    public void Turning_the_request_into_a_reply_gives_the_kernels_checksum()
    {
        byte[] frame = WireFrames.IcmpEchoRequest;
        IcmpPacket icmp = IcmpPacket.CreateUnchecked(Ipv4Packet.CreateUnchecked(frame.AsSpan(14)).Payload);
        icmp.Type = IcmpPacket.V4EchoReply;
        icmp.FillChecksum();
        Assert.Equal(0xad14, icmp.Checksum); // the captured reply's checksum
    }

    [Fact]
    public void Verifies_an_icmpv6_echo_over_the_pseudo_header()
    {
        Ipv6Packet ip = Ipv6Packet.CreateUnchecked(WireFrames.Icmpv6EchoRequest.AsSpan(14));
        Assert.True(IcmpPacket.TryCreate(ip.Payload, out IcmpPacket icmp));
        Assert.Equal(IcmpPacket.V6EchoRequest, icmp.Type);
        Assert.Equal(18139, icmp.Identifier);
        ulong pseudo = ip.PseudoHeaderSum(IpProtocol.Icmpv6, ip.PayloadLength);
        Assert.True(icmp.VerifyChecksum(pseudo));
        Assert.False(icmp.VerifyChecksum());
        icmp.Type = IcmpPacket.V6EchoReply;
        // The reply travels the other way: swapping addresses leaves the pseudo-header sum unchanged.
        icmp.FillChecksum(pseudo);
        Assert.Equal(0xd053, icmp.Checksum); // the captured reply's checksum
    }

    [Fact]
    public void Reads_an_mld_report_behind_a_hop_by_hop_header()
    {
        byte[] frame = WireFrames.MldReportWithHopByHop;
        Assert.True(FrameLayout.TryParse(frame, out FrameLayout layout));
        Assert.Equal(IpProtocol.Icmpv6, layout.L4Protocol);
        Span<byte> message = frame.AsSpan(layout.L4Offset, layout.L3End - layout.L4Offset);
        Assert.True(IcmpPacket.TryCreate(message, out IcmpPacket icmp));
        Assert.Equal(143, icmp.Type);
        Assert.True(icmp.VerifyChecksum(layout.PseudoHeaderSum(frame, message.Length)));
    }

    [Fact]
    public void Rejects_a_message_shorter_than_its_header() =>
        Assert.False(IcmpPacket.CheckLength(new byte[7]));
}
