using Forwarder.Ports;
using Forwarder.Tests.Support;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Qdiscs.PfifoFast;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Forwarder.Tests.Datapath;

public sealed class DatapathTests
{
    [Fact]
    public void A_bridge_forwards_both_ways_byte_for_byte()
    {
        using var bridge = new LoopbackBridge();
        byte[] ab = Frames.Udp(100, srcPort: 1);
        byte[] ba = Frames.Udp(200, srcPort: 2);
        Assert.True(bridge.A.InjectRx(ab));
        Assert.True(bridge.B.InjectRx(ba));

        Assert.True(bridge.Datapath.PollOnce(bridge.Clock.Now));

        Assert.Equal([ab], LoopbackBridge.Drain(bridge.OutsideB));
        Assert.Equal([ba], LoopbackBridge.Drain(bridge.OutsideA));
        Assert.Equal(1, bridge.A.Stats.RxPackets);
        Assert.Equal(1, bridge.B.Stats.TxPackets);
        Assert.Equal(bridge.Pool.Count, bridge.Pool.Available);
    }

    [Fact]
    public void Every_port_gets_pfifo_fast_with_its_txqueuelen_unless_configured()
    {
        using var bridge = new LoopbackBridge();
        Qdisc root = bridge.A.Device.Root!;
        Assert.IsType<PfifoFastQdisc>(root);
        Assert.Equal(TcHandle.Root, root.Parent);
        Assert.Equal(1000, ((PfifoFastQdisc)root).BandLimit);
        Assert.Same(bridge.A.Device, bridge.Datapath.Devices.Find("a0"));
        Assert.NotNull(bridge.Datapath.Devices.Redirector);
    }

    [Fact]
    public void Packets_cross_the_egress_root_qdisc_and_are_counted_there()
    {
        using var bridge = new LoopbackBridge();
        for (int i = 0; i < 10; i++) bridge.A.InjectRx(Frames.Udp(100));
        bridge.Datapath.PollOnce(bridge.Clock.Now);
        Assert.Equal(10UL, bridge.B.Device.Root!.Stats.Packets);
        Assert.Equal(0, bridge.B.Device.Root!.QueueLength);
    }

    [Fact]
    public void A_full_egress_wire_holds_packets_in_the_qdisc_instead_of_losing_them()
    {
        using var bridge = new LoopbackBridge();
        // The outside endpoint of B has a 1024-frame ring: offer more than that without draining it.
        int offered = 0;
        for (int round = 0; round < 40; round++)
        {
            for (int i = 0; i < 32; i++) offered += bridge.A.InjectRx(Frames.Udp(80)) ? 1 : 0;
            bridge.Datapath.PollOnce(bridge.Clock.Now);
        }
        Assert.Equal(1280, offered);
        Assert.Equal(1024, bridge.OutsideB.PendingRx);
        Qdisc root = bridge.B.Device.Root!;
        Assert.Equal(1280 - 1024, root.QueueLength);
        Assert.True(bridge.Datapath.Schedulers[1].BlockedOnPort);
        Assert.Equal(1024, LoopbackBridge.Drain(bridge.OutsideB).Count);
        bridge.Datapath.PollOnce(bridge.Clock.Now);
        Assert.Equal(256, LoopbackBridge.Drain(bridge.OutsideB).Count);
        Assert.Equal(0u, root.Stats.Drops);
    }

    [Fact]
    public void A_throttled_qdisc_is_dequeued_again_when_its_watchdog_expires()
    {
        using var bridge = new LoopbackBridge();
        var delay = new DelayQdisc(new QdiscContext(bridge.B.Device, 0x10000, TcHandle.Root), delayNs: 5_000_000);
        bridge.B.Device.Root = delay;
        bridge.A.InjectRx(Frames.Udp(100));
        bridge.Datapath.PollOnce(bridge.Clock.Now);
        Assert.Empty(LoopbackBridge.Drain(bridge.OutsideB));
        Assert.Equal(bridge.Clock.Now + 5_000_000, bridge.Datapath.Schedulers[1].Deadline);
        bridge.Clock.AdvanceNs(5_000_000);
        bridge.Datapath.PollOnce(bridge.Clock.Now);
        Assert.Single(LoopbackBridge.Drain(bridge.OutsideB));
    }

    [Fact]
    public void A_redirect_to_egress_reaches_the_named_port()
    {
        using var bridge = new LoopbackBridge();
        Packet p = bridge.Pool.Rent()!;
        p.Load(Frames.Udp(90));
        Assert.True(bridge.Datapath.Devices.Redirector!.ToEgress(bridge.A.Device, p));
        bridge.Datapath.PollOnce(bridge.Clock.Now);
        Assert.Single(LoopbackBridge.Drain(bridge.OutsideA));
    }

    [Fact]
    public void A_redirect_to_ingress_is_forwarded_as_if_received_there()
    {
        using var bridge = new LoopbackBridge();
        Packet p = bridge.Pool.Rent()!;
        p.Load(Frames.Udp(90));
        Assert.True(bridge.Datapath.Devices.Redirector!.ToIngress(bridge.B.Device, p));
        bridge.Datapath.PollOnce(bridge.Clock.Now);
        Assert.Single(LoopbackBridge.Drain(bridge.OutsideA)); // received "on" b0 goes out of a0
    }

    [Fact]
    public async Task Invoke_runs_on_the_datapath_thread_and_returns_its_result()
    {
        using var bridge = new LoopbackBridge(options: new global::Forwarder.Datapath.DatapathOptions { MaxPark = TimeSpan.FromMilliseconds(5) });
        bridge.Datapath.Start();
        int callerThread = Environment.CurrentManagedThreadId;
        int ranOn = await bridge.Datapath.InvokeAsync(() => Environment.CurrentManagedThreadId).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(callerThread, ranOn);
        // A control command replaces the root qdisc at a safe point; traffic then flows through the new one.
        await bridge.Datapath.InvokeAsync(() =>
        {
            bridge.B.Device.Root = new PfifoKind().Create(null, new QdiscContext(bridge.B.Device, 0x20000, TcHandle.Root));
            return true;
        });
        Assert.Equal("pfifo", bridge.B.Device.Root!.Kind);
        bridge.Datapath.Stop();
        Assert.True(bridge.Datapath.Stopped.IsCompleted);
    }

    [Fact]
    public async Task Invoke_without_a_running_thread_runs_inline()
    {
        using var bridge = new LoopbackBridge();
        Task<int> t = bridge.Datapath.InvokeAsync(() => 42);
        Assert.True(t.IsCompletedSuccessfully);
        Assert.Equal(42, await t);
    }

    [Fact]
    public async Task A_link_going_down_is_reported_and_a_removed_interface_stops_the_datapath_with_a_message()
    {
        using var bridge = new LoopbackBridge(options: new global::Forwarder.Datapath.DatapathOptions { MaxPark = TimeSpan.FromMilliseconds(1) });
        var seen = new List<(string, PortStatus)>();
        bridge.Datapath.PortStatusChanged += (port, status) => { lock (seen) seen.Add((port.Name, status)); };
        using var clockless = new SystemClockBridge(bridge);
        bridge.Datapath.Start();
        bridge.A.Status = PortStatus.Down;
        SpinUntil(() => { lock (seen) return seen.Count >= 1; });
        bridge.A.Status = PortStatus.Removed;
        await bridge.Datapath.Stopped.WaitAsync(TimeSpan.FromSeconds(10));
        lock (seen) Assert.Equal([("a0", PortStatus.Down), ("a0", PortStatus.Removed)], seen);
        Assert.Equal("interface a0 was removed; stopping", bridge.Datapath.Failure);
    }

    [Fact]
    public void Stopping_frees_every_packet_still_queued()
    {
        using var bridge = new LoopbackBridge();
        bridge.B.Device.Root = new DelayQdisc(new QdiscContext(bridge.B.Device, 0x10000, TcHandle.Root), delayNs: 1_000_000_000);
        for (int i = 0; i < 5; i++) bridge.A.InjectRx(Frames.Udp(100));
        bridge.Datapath.PollOnce(bridge.Clock.Now);
        Assert.Equal(5, bridge.B.Device.Root.QueueLength);
        bridge.Datapath.Dispose();
        Assert.Equal(bridge.Pool.Count, bridge.Pool.Available);
    }

    private static void SpinUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            Thread.Sleep(1);
        }
    }

    /// <summary>The status test runs the real thread, whose status checks need a clock that moves.</summary>
    private sealed class SystemClockBridge : IDisposable
    {
        private readonly Timer _timer;

        public SystemClockBridge(LoopbackBridge bridge) =>
            _timer = new Timer(_ => { lock (bridge.Clock) bridge.Clock.AdvanceNs(1_000_000); }, null, 0, 1);

        public void Dispose() => _timer.Dispose();
    }
}
