using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Tests.Packets.Wire;

public sealed class EthernetFrameTests
{
    [Fact]
    public void Reads_the_addresses_and_ethertype_of_a_captured_frame()
    {
        byte[] bytes = WireFrames.UdpHello;
        Assert.True(EthernetFrame.TryCreate(bytes, out EthernetFrame eth));
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:0b"), eth.Destination);
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:0a"), eth.Source);
        Assert.Equal(EtherType.Ipv4, eth.EtherType);
        Assert.Equal(bytes.Length - 14, eth.Payload.Length);
    }

    [Fact]
    public void Writing_the_fields_rebuilds_the_captured_header()
    {
        byte[] built = new byte[14];
        EthernetFrame eth = EthernetFrame.CreateUnchecked(built);
        eth.Destination = MacAddress.Broadcast;
        eth.Source = MacAddress.Parse("02:00:00:00:00:0a");
        eth.EtherType = EtherType.Arp;
        Assert.Equal(WireFrames.ArpRequest.AsSpan(0, 14).ToArray(), built);
    }

    [Fact]
    public void Rejects_a_buffer_shorter_than_the_header() =>
        Assert.False(EthernetFrame.TryCreate(new byte[13], out _));

    [Fact]
    public void Broadcast_and_multicast_addresses_are_recognised()
    {
        Assert.True(MacAddress.Broadcast.IsMulticast);
        Assert.True(MacAddress.Parse("33:33:00:00:00:16").IsMulticast);
        Assert.False(MacAddress.Parse("02:00:00:00:00:0a").IsMulticast);
        Assert.Equal("02:00:00:00:00:0a", MacAddress.Parse("02:00:00:00:00:0a").ToString());
    }
}
