using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Tests.Packets.Wire;

public sealed class Ipv4PacketTests
{
    [Fact]
    public void Reads_every_field_of_a_captured_header()
    {
        Assert.True(Ipv4Packet.TryCreate(WireFrames.UdpHello.AsSpan(14), out Ipv4Packet ip));
        Assert.Equal(4, ip.Version);
        Assert.Equal(20, ip.HeaderLength);
        Assert.Equal(0, ip.Tos);
        Assert.Equal(33, ip.TotalLength);
        Assert.Equal(0xb3f5, ip.Identification);
        Assert.True(ip.DontFragment);
        Assert.False(ip.MoreFragments);
        Assert.False(ip.IsFragment);
        Assert.Equal(64, ip.Ttl);
        Assert.Equal(IpProtocol.Udp, ip.Protocol);
        Assert.Equal(0xf0ae, ip.Checksum);
        Assert.Equal(0xC6120501u, ip.Source);
        Assert.Equal(0xC6120502u, ip.Destination);
        Assert.Equal(13, ip.Payload.Length);
        Assert.True(ip.VerifyChecksum());
        Assert.Equal(0xf0ae, ip.ComputeChecksum());
    }

    [Fact]
    public void Building_the_header_from_fields_reproduces_the_capture_and_its_checksum()
    {
        byte[] captured = WireFrames.IcmpEchoRequest.AsSpan(14, 20).ToArray();
        byte[] built = new byte[20];
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(built);
        ip.Version = 4;
        ip.HeaderLength = 20;
        ip.TotalLength = 36;
        ip.Identification = 0x5b82;
        ip.DontFragment = true;
        ip.Ttl = 64;
        ip.Protocol = IpProtocol.Icmp;
        ip.Source = 0xC6120501;
        ip.Destination = 0xC6120502;
        ip.FillChecksum();
        Assert.Equal(captured, built);
    }

    [Fact]
    public void Walks_the_record_route_option_after_a_nop()
    {
        Assert.True(Ipv4Packet.TryCreate(WireFrames.IcmpEchoRecordRoute.AsSpan(14), out Ipv4Packet ip));
        Assert.Equal(60, ip.HeaderLength);
        Assert.Equal(40, ip.Options.Length);
        Assert.True(ip.VerifyChecksum());
        Ipv4OptionReader options = ip.ReadOptions();
        Assert.True(options.MoveNext());
        Assert.Equal(Ipv4OptionReader.RecordRoute, options.Type);
        Assert.Equal(37, options.Data.Length);
        Assert.Equal(8, options.Data[0]); // pointer: the first slot was filled by the sender
        Assert.False(options.MoveNext());
        Assert.False(options.IsMalformed);
        Assert.Equal(IpProtocol.Icmp, ip.Protocol);
        Assert.Equal(16, ip.Payload.Length);
    }

    [Fact]
    public void A_malformed_option_length_is_reported()
    {
        var reader = new Ipv4OptionReader([0x07, 0x30, 0x04]);
        Assert.False(reader.MoveNext());
        Assert.True(reader.IsMalformed);
    }

    [Fact]
    public void Ecn_and_dscp_share_the_tos_byte()
    {
        byte[] bytes = WireFrames.UdpHello.AsSpan(14).ToArray();
        Ipv4Packet ip = Ipv4Packet.CreateUnchecked(bytes);
        ip.Dscp = 46;
        ip.Ecn = 2;
        Assert.Equal(0xBA, ip.Tos);
    }

    [Theory]
    [InlineData(19)]            // shorter than the fixed header
    public void Rejects_a_short_buffer(int length) =>
        Assert.False(Ipv4Packet.TryCreate(WireFrames.UdpHello.AsSpan(14, length).ToArray(), out _));

    [Fact]
    public void Rejects_a_total_length_beyond_the_buffer_or_an_ihl_below_five()
    {
        byte[] truncated = WireFrames.UdpHello.AsSpan(14, 30).ToArray();
        Assert.False(Ipv4Packet.CheckLength(truncated));
        byte[] badIhl = WireFrames.UdpHello.AsSpan(14).ToArray();
        badIhl[0] = 0x44;
        Assert.False(Ipv4Packet.CheckLength(badIhl));
        byte[] notV4 = WireFrames.UdpHello.AsSpan(14).ToArray();
        notV4[0] = 0x65;
        Assert.False(Ipv4Packet.CheckLength(notV4));
    }

    [Fact]
    public void Ethernet_padding_past_the_total_length_is_not_payload()
    {
        byte[] padded = [.. WireFrames.UdpHello.AsSpan(14), 0, 0, 0, 0, 0];
        Assert.True(Ipv4Packet.TryCreate(padded, out Ipv4Packet ip));
        Assert.Equal(13, ip.Payload.Length);
    }
}
