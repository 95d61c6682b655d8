using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Tests.Packets.Wire;

public sealed class VlanHeaderTests
{
    [Fact]
    public void Splits_the_tag_control_information_into_pcp_dei_and_vid()
    {
        byte[] tag = WireFrames.Hex("a0 64 08 00"); // PCP 5, DEI 0, VID 100, then IPv4
        Assert.True(VlanHeader.TryCreate(tag, out VlanHeader v));
        Assert.Equal(5, v.Pcp);
        Assert.False(v.Dei);
        Assert.Equal(100, v.VlanId);
        Assert.Equal(EtherType.Ipv4, v.EtherType);
    }

    [Fact]
    public void Setters_round_trip_to_the_literal_tag()
    {
        byte[] built = new byte[4];
        VlanHeader v = VlanHeader.CreateUnchecked(built);
        v.VlanId = 100;
        v.Pcp = 5;
        v.Dei = true;
        v.EtherType = EtherType.Ipv6;
        Assert.Equal(WireFrames.Hex("b0 64 86 dd"), built);
        v.Dei = false;
        Assert.Equal(0xa064, v.Tci);
    }

    [Fact]
    public void A_double_tagged_frame_is_laid_out_past_both_tags()
    {
        // 802.1ad outer tag (VID 10) then 802.1Q inner tag (VID 20) around the captured UDP datagram.
        byte[] udp = WireFrames.UdpHello;
        byte[] frame = [.. udp.AsSpan(0, 12), 0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x14, .. udp.AsSpan(12)];
        Assert.True(FrameLayout.TryParse(frame, out FrameLayout layout));
        Assert.Equal(2, layout.VlanTagCount);
        Assert.Equal(EtherType.Ipv4, layout.EtherType);
        Assert.Equal(22, layout.L3Offset);
        Assert.Equal(IpProtocol.Udp, layout.L4Protocol);
        Assert.Equal(42, layout.L4Offset);
    }
}
