using Forwarder.Tests.Support;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Forwarder.Tests.Datapath;

/// <summary>
/// The datapath allocates no managed memory per packet in steady state: a million packets cross the real receive,
/// ingress, qdisc and transmit path on an in-memory port pair while the thread's allocation counter stays put.
/// </summary>
public sealed class AllocationTests
{
    private const int Burst = 64;

    [Fact]
    public void A_million_forwarded_packets_allocate_no_managed_bytes()
    {
        using var bridge = new LoopbackBridge();
        byte[] frame = Frames.Udp(64);
        var sink = new Packet[Burst];

        long Forward(int packets)
        {
            long forwarded = 0;
            for (int done = 0; done < packets; done += Burst)
            {
                for (int i = 0; i < Burst; i++) bridge.A.InjectRx(frame);
                bridge.Datapath.PollOnce(bridge.Clock.Now);
                int n = bridge.OutsideB.Receive(sink, TimeNs.Zero);
                for (int i = 0; i < n; i++) sink[i].Free();
                forwarded += n;
            }
            return forwarded;
        }

        Forward(200_000); // warm-up: JIT tiers, first-use paths
        long before = GC.GetAllocatedBytesForCurrentThread();
        long forwarded = Forward(1_000_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1_000_000, forwarded);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Segmenting_super_frames_allocates_nothing_either()
    {
        using var bridge = new LoopbackBridge(rxSlotBytes: 16384);
        byte[] super = Frames.TcpSuperFrame(8000);
        var sink = new Packet[Burst];
        void Round()
        {
            bridge.A.InjectRx(super);
            bridge.Datapath.PollOnce(bridge.Clock.Now);
            int n;
            while ((n = bridge.OutsideB.Receive(sink, TimeNs.Zero)) > 0)
                for (int i = 0; i < n; i++) sink[i].Free();
        }
        for (int i = 0; i < 2000; i++) Round();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20_000; i++) Round();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(22_000 * 6, bridge.B.Stats.TxPackets);
    }
}
