using Forwarder.Cli;
using Forwarder.Tests.Support;

namespace Forwarder.Tests.Datapath;

/// <summary>
/// The default pool holds what the default configurations can queue: in a bridge flooded both ways with fq_codel
/// on both egress devices, each fq_codel fills to its default limit (10240 packets) while the other holds as many,
/// and no frame is lost on receive for want of a buffer. The pool sized for one direction runs dry there.
/// </summary>
public sealed class DefaultPoolTests
{
    private const int TxQueueLength = 1000; // LoopbackPort's, as a veth's

    [Fact]
    public void A_bridge_pool_holds_two_full_fq_codels()
    {
        (long receiveDrops, uint held) = FloodBothWays(ForwardingSession.DefaultPoolPackets(2 * TxQueueLength, egressPorts: 2));
        Assert.Equal(0, receiveDrops);
        Assert.InRange(held, 2u * (10240 - 64), 2u * 10240); // at its limit fq_codel drops a batch of 64 (drop_batch_size)
    }

    [Fact]
    public void The_pool_for_one_direction_runs_dry_there()
    {
        (long receiveDrops, _) = FloodBothWays(ForwardingSession.DefaultPoolPackets(2 * TxQueueLength, egressPorts: 1));
        Assert.True(receiveDrops > 0);
    }

    /// <summary>
    /// 12 000 frames into each side while nothing drains the far ends (the ports fill, then the roots hold), in
    /// simulated time that stands still (CoDel never sees a sojourn). Returns the frames dropped on receive and the
    /// packets both roots hold.
    /// </summary>
    private static (long ReceiveDrops, uint Held) FloodBothWays(int poolPackets)
    {
        using var tc = new TcBridge(poolPackets: poolPackets);
        tc.Tc("qdisc replace dev a0 root fq_codel");
        tc.Tc("qdisc replace dev b0 root fq_codel");
        byte[] frame = Frames.Udp(64);
        for (int sent = 0; sent < 12_000; sent += 200)
        {
            for (int i = 0; i < 200; i++)
            {
                Assert.True(tc.Bridge.A.InjectRx(frame));
                Assert.True(tc.Bridge.B.InjectRx(frame));
            }
            tc.Datapath.PollOnce(tc.Clock.Now); // a receive burst per port takes all 200
        }
        long drops = tc.Bridge.A.Stats.RxDropped + tc.Bridge.B.Stats.RxDropped;
        uint held = (uint)(tc.Bridge.A.Device.Root!.QueueLength + tc.Bridge.B.Device.Root!.QueueLength);
        return (drops, held);
    }
}
