using Sched.Fast.Packets;
using Sched.Fast.Tests.Support;

namespace Sched.Fast.Tests.Packets;

public sealed class FlowHashTests : IDisposable
{
    private readonly PacketPool _pool = new(16);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void Both_directions_of_a_flow_hash_alike()
    {
        FlowKeys ab = FlowKeys.Extract(TestFrames.Udp(100, 1000, 2000, srcIp: 0xC6120001, dstIp: 0xC6120002));
        FlowKeys ba = FlowKeys.Extract(TestFrames.Udp(100, 2000, 1000, srcIp: 0xC6120002, dstIp: 0xC6120001));
        Assert.Equal(FlowHash.Compute(in ab, 7), FlowHash.Compute(in ba, 7));
    }

    [Fact]
    public void Different_ports_and_perturbations_give_different_hashes()
    {
        FlowKeys a = FlowKeys.Extract(TestFrames.Udp(100, 1000, 2000));
        FlowKeys b = FlowKeys.Extract(TestFrames.Udp(100, 1001, 2000));
        Assert.NotEqual(FlowHash.Compute(in a, 0), FlowHash.Compute(in b, 0));
        Assert.NotEqual(FlowHash.Compute(in a, 0), FlowHash.Compute(in a, 1));
    }

    [Fact]
    public void Extracts_ports_and_addresses_of_an_ipv4_udp_frame()
    {
        FlowKeys k = FlowKeys.Extract(TestFrames.Udp(100, 1234, 5678));
        Assert.Equal(0x0800, k.EtherType);
        Assert.Equal(17, k.IpProtocol);
        Assert.Equal(0xC6120001u, k.Src);
        Assert.Equal(0xC6120002u, k.Dst);
        Assert.True(k.HasPorts);
        Assert.Equal(1234, k.SrcPort);
        Assert.Equal(5678, k.DstPort);
    }

    [Fact]
    public void Truncated_frames_yield_what_is_there_and_never_throw()
    {
        byte[] full = TestFrames.Udp(100);
        for (int len = 0; len < full.Length; len++) _ = FlowKeys.Extract(full.AsSpan(0, len));
    }

    [Fact]
    public void Hash_is_cached_in_the_packet()
    {
        Packet p = TestFrames.Packet(_pool, 100);
        uint h = FlowHash.Get(p);
        Assert.Equal(1, p.Meta.HashValid);
        Assert.Equal(h, p.Meta.Hash);
        p.Free();
    }

    [Fact]
    public void Hashes_spread_evenly_over_buckets()
    {
        var counts = new int[64];
        for (ushort port = 0; port < 6400; port++)
        {
            FlowKeys k = FlowKeys.Extract(TestFrames.Udp(64, port, 80));
            counts[FlowHash.Scale(FlowHash.Compute(in k, 42), 64)]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 50, 150));
    }
}
