using Sched.Fast.Packets.Wire;

namespace Sched.Fast.Tests.Packets.Wire;

public sealed class ArpPacketTests
{
    [Fact]
    public void Reads_a_captured_request()
    {
        byte[] frame = WireFrames.ArpRequest;
        Assert.True(ArpPacket.TryCreate(frame.AsSpan(14), out ArpPacket arp));
        Assert.True(arp.IsEthernetIpv4);
        Assert.Equal(ArpPacket.OperationRequest, arp.Operation);
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:0a"), arp.SenderMac);
        Assert.Equal(0xC6120501u, arp.SenderIpv4);
        Assert.Equal(default, arp.TargetMac);
        Assert.Equal(0xC6120502u, arp.TargetIpv4);
    }

    [Fact]
    public void Builds_the_captured_request_byte_for_byte()
    {
        byte[] built = new byte[ArpPacket.EthernetIpv4Length];
        ArpPacket arp = ArpPacket.CreateUnchecked(built);
        arp.HardwareType = ArpPacket.HardwareEthernet;
        arp.ProtocolType = EtherType.Ipv4;
        arp.HardwareLength = 6;
        arp.ProtocolLength = 4;
        arp.Operation = ArpPacket.OperationRequest;
        arp.SenderMac = MacAddress.Parse("02:00:00:00:00:0a");
        arp.SenderIpv4 = 0xC6120501;
        arp.TargetIpv4 = 0xC6120502;
        Assert.Equal(WireFrames.ArpRequest.AsSpan(14).ToArray(), built);
    }

    [Fact]
    public void Rejects_addresses_that_run_past_the_buffer() =>
        Assert.False(ArpPacket.TryCreate(WireFrames.ArpRequest.AsSpan(14, 27).ToArray(), out _));
}
