using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Tests.Packets.Wire;

public sealed class Ipv6PacketTests
{
    [Fact]
    public void Reads_every_field_of_a_captured_header()
    {
        Assert.True(Ipv6Packet.TryCreate(WireFrames.Icmpv6EchoRequest.AsSpan(14), out Ipv6Packet ip));
        Assert.Equal(6, ip.Version);
        Assert.Equal(0, ip.TrafficClass);
        Assert.Equal(0xa7d09u, ip.FlowLabel);
        Assert.Equal(16, ip.PayloadLength);
        Assert.Equal(IpProtocol.Icmpv6, ip.NextHeader);
        Assert.Equal(64, ip.HopLimit);
        Assert.Equal(UInt128.Parse("42540766411282592856903984951653826561"), ip.SourceAddress); // 2001:db8::1
        Assert.Equal(ip.SourceAddress + 1, ip.DestinationAddress);
    }

    [Fact]
    public void Building_the_header_from_fields_reproduces_the_capture()
    {
        byte[] captured = WireFrames.Icmpv6EchoRequest.AsSpan(14, 40).ToArray();
        byte[] built = new byte[40];
        Ipv6Packet ip = Ipv6Packet.CreateUnchecked(built);
        ip.Version = 6;
        ip.FlowLabel = 0xa7d09;
        ip.PayloadLength = 16;
        ip.NextHeader = IpProtocol.Icmpv6;
        ip.HopLimit = 64;
        ip.SourceAddress = UInt128.Parse("42540766411282592856903984951653826561");
        ip.DestinationAddress = ip.SourceAddress + 1;
        Assert.Equal(captured, built);
        ip.TrafficClass = 0xB9;
        Assert.Equal(1, ip.Ecn);
        Assert.Equal(0xa7d09u, ip.FlowLabel);
    }

    [Fact]
    public void Skips_a_hop_by_hop_header_to_the_icmpv6_message()
    {
        Assert.True(Ipv6Packet.TryCreate(WireFrames.MldReportWithHopByHop.AsSpan(14), out Ipv6Packet ip));
        Assert.Equal(IpProtocol.HopByHop, ip.NextHeader);
        Assert.True(Ipv6ExtensionHeader.TryCreate(ip.Payload, ip.NextHeader, out Ipv6ExtensionHeader hbh));
        Assert.Equal(8, hbh.Length);
        Assert.Equal(IpProtocol.Icmpv6, hbh.NextHeader);
        Assert.Equal(WireFrames.Hex("05 02 00 00 01 00"), hbh.Data.ToArray()); // router alert (MLD), PadN
        Assert.True(ip.TryFindUpperLayer(out byte proto, out int offset, out bool later));
        Assert.Equal(IpProtocol.Icmpv6, proto);
        Assert.Equal(48, offset);
        Assert.False(later);
    }

    [Fact]
    public void A_later_fragment_has_no_upper_layer_header()
    {
        byte[] frame = FragmentFrame(offsetBytes: 1448);
        Assert.True(FrameLayout.TryParse(frame, out FrameLayout layout));
        Assert.True(layout.IsFragment);
        Assert.False(layout.HasL4);
        Assert.Equal(IpProtocol.Udp, layout.L4Protocol);
        byte[] first = FragmentFrame(offsetBytes: 0);
        Assert.True(FrameLayout.TryParse(first, out FrameLayout firstLayout));
        Assert.True(firstLayout.IsFragment);
        Assert.Equal(14 + 40 + 8, firstLayout.L4Offset);
    }

    [Fact]
    public void A_fragment_header_round_trips_its_fields()
    {
        byte[] b = new byte[8];
        Ipv6ExtensionHeader f = Ipv6ExtensionHeader.CreateUnchecked(b, IpProtocol.Ipv6Fragment);
        f.NextHeader = IpProtocol.Udp;
        f.FragmentOffsetBytes = 1448;
        f.MoreFragments = true;
        f.FragmentIdentification = 0xdeadbeef;
        Assert.Equal(WireFrames.Hex("11 00 05 a9 de ad be ef"), b);
        Assert.Equal(1448, f.FragmentOffsetBytes);
        Assert.True(f.MoreFragments);
    }

    [Fact]
    public void Rejects_a_truncated_extension_header()
    {
        byte[] frame = WireFrames.MldReportWithHopByHop;
        byte[] ip = frame.AsSpan(14).ToArray();
        ip[41] = 200; // hop-by-hop claims (200+1)*8 bytes
        Assert.True(Ipv6Packet.TryCreate(ip, out Ipv6Packet p));
        Assert.False(p.TryFindUpperLayer(out _, out _, out _));
    }

    [Fact]
    public void Rejects_a_payload_length_beyond_the_buffer() =>
        Assert.False(Ipv6Packet.CheckLength(WireFrames.Icmpv6EchoRequest.AsSpan(14, 50)));

    private static byte[] FragmentFrame(int offsetBytes)
    {
        byte[] frame = new byte[14 + 40 + 8 + 16];
        EthernetFrame.CreateUnchecked(frame).EtherType = EtherType.Ipv6;
        Ipv6Packet ip = Ipv6Packet.CreateUnchecked(frame.AsSpan(14));
        ip.Version = 6;
        ip.PayloadLength = 24;
        ip.NextHeader = IpProtocol.Ipv6Fragment;
        Ipv6ExtensionHeader f = Ipv6ExtensionHeader.CreateUnchecked(frame.AsSpan(54), IpProtocol.Ipv6Fragment);
        f.NextHeader = IpProtocol.Udp;
        f.FragmentOffsetBytes = offsetBytes;
        return frame;
    }
}
