using BenchmarkDotNet.Attributes;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;

namespace Forwarder.Perf.Packets;

/// <summary>Parsing an Ethernet/IPv4/UDP frame with the wire views: the layout walk, and reading the 5-tuple.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private readonly byte[] _frame = new byte[64];

    [GlobalSetup]
    public void Setup()
    {
        var eth = EthernetFrame.CreateUnchecked(_frame);
        eth.EtherType = EtherType.Ipv4;
        var ip = Ipv4Packet.CreateUnchecked(_frame.AsSpan(14));
        ip.Version = 4;
        ip.HeaderLength = 20;
        ip.TotalLength = 50;
        ip.Protocol = IpProtocol.Udp;
        ip.Source = 0xC6120001;
        ip.Destination = 0xC6120002;
        ip.FillChecksum();
        var udp = UdpPacket.CreateUnchecked(ip.Payload);
        udp.SourcePort = 1000;
        udp.DestinationPort = 9;
        udp.Length = 30;
    }

    [Benchmark]
    public int FrameLayout_parse()
    {
        FrameLayout.TryParse(_frame, out FrameLayout layout);
        return layout.L4Offset;
    }

    [Benchmark]
    public uint Ethernet_ipv4_udp_five_tuple()
    {
        Span<byte> f = _frame;
        if (!EthernetFrame.TryCreate(f, out EthernetFrame eth) || eth.EtherType != EtherType.Ipv4) return 0;
        if (!Ipv4Packet.TryCreate(eth.Payload, out Ipv4Packet ip) || ip.Protocol != IpProtocol.Udp) return 0;
        if (!UdpPacket.TryCreate(ip.Payload, out UdpPacket udp)) return 0;
        return ip.Source ^ ip.Destination ^ ((uint)udp.SourcePort << 16 | udp.DestinationPort) ^ ip.Protocol;
    }

    [Benchmark]
    public ushort FlowKeys_extract() => FlowKeys.Extract(_frame).SrcPort;
}
