using Forwarder.Ports;
using Forwarder.Tests.Bpf;
using Forwarder.Tests.EndToEnd;
using Sched.Fast.Packets;

namespace Forwarder.Tests.Ports;

/// <summary>
/// The AF_PACKET port's receive accounting on a real veth pair (f1 in ns fwd to s0 in ns sink): what a full ring
/// dropped (PACKET_STATISTICS tp_drops) is counted as kernel drops, for the frame ring and the block ring alike, so
/// that what was received plus what was dropped is what was sent.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MmapPortTests
{
    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Frames_a_full_receive_ring_drops_count_as_kernel_drops(bool blockRing)
    {
        using var lab = new EndToEnd.Lab();
        using var pool = new PacketPool(512, 4096);
        var small = new MmapPortOptions { RxBlockRing = blockRing, RxFrameCount = 1024, RxBlockCount = 4, RxBlockBytes = 64 << 10 };
        using PcapPort tx = NetworkNamespace.Enter(lab.Topology.Fwd, () => PcapPort.Open("f1", pool));
        using MmapPort rx = NetworkNamespace.Enter(lab.Topology.Sink, () => MmapPort.Open("s0", pool, options: small));

        const int flood = 10_000; // about five times what either ring holds
        VethFlood.Send(tx, pool, flood);
        Assert.Equal(flood, tx.Stats.TxPackets);

        Thread.Sleep(50); // a block ring hands over its last, partly filled block when the block's timer retires it
        long received = VethFlood.ReceiveAll(rx);
        rx.RefreshStatus();

        Assert.InRange(received, 1, flood - 1);
        Assert.InRange(rx.Stats.RxKernelDrops, flood - received, flood - received + 16); // + whatever else s0 saw
        Assert.Equal(rx.Stats.RxKernelDrops, rx.Stats.RxDropped);
    }
}
