using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Tests.Packets.Wire;

public sealed class UdpPacketTests
{
    [Fact]
    public void Reads_a_captured_datagram_and_verifies_its_checksum()
    {
        byte[] frame = WireFrames.UdpHello;
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(frame.AsSpan(14));
        Assert.True(UdpPacket.TryCreate(ip.Payload, out UdpPacket udp));
        Assert.Equal(44618, udp.SourcePort);
        Assert.Equal(9, udp.DestinationPort);
        Assert.Equal(13, udp.Length);
        Assert.Equal(0x7786, udp.Checksum);
        Assert.Equal("hello"u8.ToArray(), udp.Payload.ToArray());
        Assert.True(udp.VerifyChecksum(ip.PseudoHeaderSum(udp.Length)));
    }

    [Fact]
    public void Filling_the_checksum_reproduces_the_kernels()
    {
        byte[] frame = WireFrames.UdpHello;
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(frame.AsSpan(14));
        UdpPacket udp = UdpPacket.CreateUnchecked(ip.Payload);
        udp.Checksum = 0x1234;
        udp.FillChecksum(ip.PseudoHeaderSum(udp.Length));
        Assert.Equal(WireFrames.UdpHello, frame);
    }

    [Fact]
    public void A_corrupted_payload_fails_verification()
    {
        byte[] frame = WireFrames.UdpHello;
        frame[^1] ^= 0x20;
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(frame.AsSpan(14));
        UdpPacket udp = UdpPacket.CreateUnchecked(ip.Payload);
        Assert.False(udp.VerifyChecksum(ip.PseudoHeaderSum(udp.Length)));
    }

    [Fact]
    public void Rejects_a_length_field_outside_the_buffer()
    {
        Assert.False(UdpPacket.CheckLength(WireFrames.Hex("ae4a 0009 0020 7786 6865")));
        Assert.False(UdpPacket.CheckLength(WireFrames.Hex("ae4a 0009 0004 7786")));
    }
}
