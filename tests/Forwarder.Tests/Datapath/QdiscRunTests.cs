using Forwarder.Datapath;
using Forwarder.Tests.Support;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Tbf;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Forwarder.Tests.Datapath;

/// <summary>
/// The egress roots run as the kernel runs them (net/core/dev.c __dev_xmit_skb(), net/sched/sch_generic.c
/// __qdisc_run(), qdisc_watchdog()): right after each enqueue, when their watchdog fires, when the port has room
/// again, and never because the datapath loop went round. In simulated time, with the loop polling more often than
/// anything is due, as a spinning thread does.
/// </summary>
public sealed class QdiscRunTests
{
    private const long Ms = TimeNs.NsPerMs;

    /// <summary>
    /// 100 frames of 1000 bytes arrive together at a tbf of 8 Mbit/s (1 ms per frame) whose bucket holds one frame.
    /// Linux: the first goes at once; each of the 99 other enqueues runs the qdisc, which is throttled (99
    /// overlimits); then each watchdog sends one frame and finds the next throttled (98 more), the last finds the
    /// queue empty. 197 overlimits, one frame per millisecond.
    /// </summary>
    [Fact]
    public void A_throttled_tbf_counts_the_overlimits_linux_counts_and_sends_at_its_rate()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 root handle 1: tbf rate 8mbit burst 1000 limit 200000");
        var departures = new List<TimeNs>();
        for (int i = 0; i < 100; i++) Assert.True(t.Bridge.A.InjectRx(Frames.Udp(1000)));
        TimeNs start = t.Clock.Now;

        t.RunUntil(start + 150 * Ms, afterPoll: now =>
        {
            foreach (byte[] _ in LoopbackBridge.Drain(t.Bridge.OutsideB)) departures.Add(now);
        });

        var tbf = (TbfQdisc)t.Bridge.B.Device.Root!;
        Assert.Equal(100UL, tbf.Stats.Packets);
        Assert.Equal(197u, tbf.Stats.Overlimits);
        Assert.Equal(100, departures.Count);
        for (int i = 0; i < 100; i++) Assert.Equal(start + i * Ms, departures[i]);
        EgressScheduler s = t.Datapath.Schedulers[1];
        // 100 enqueue runs + 99 watchdog runs; each run dequeues until nothing comes (one call more than it sends).
        Assert.Equal(199, s.Runs);
        Assert.Equal(100 + 199, s.DequeueCalls);
        Assert.Equal(0, s.StaleWakeups);
    }

    [Fact]
    public void Polling_when_nothing_is_due_dequeues_nothing()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 root handle 1: tbf rate 1mbit burst 1600 limit 100000");
        for (int i = 0; i < 10; i++) t.Bridge.A.InjectRx(Frames.Udp(1000));
        t.Datapath.PollOnce(t.Clock.Now);
        EgressScheduler s = t.Datapath.Schedulers[1];
        long calls = s.DequeueCalls;
        uint overlimits = t.Bridge.B.Device.Root!.Stats.Overlimits;
        TimeNs deadline = s.Deadline;
        Assert.True(deadline > t.Clock.Now);

        for (int i = 0; i < 1000; i++)
        {
            Assert.False(t.Datapath.PollOnce(t.Clock.Now));
            t.Clock.AdvanceTo(TimeNs.Min(t.Clock.Now + 1_000, deadline - 1));
        }

        Assert.Equal(calls, s.DequeueCalls);
        Assert.Equal(overlimits, t.Bridge.B.Device.Root!.Stats.Overlimits);
        t.Clock.AdvanceTo(deadline);
        Assert.True(t.Datapath.PollOnce(t.Clock.Now));
        Assert.Equal(calls + 2, s.DequeueCalls); // one frame out, then throttled again
    }

    /// <summary>
    /// The default root is pfifo_fast, which Linux bypasses when it is empty (TCQ_F_CAN_BYPASS in __dev_xmit_skb()):
    /// the frames go straight to the port, counted as sent, with no dequeue; nothing is left queued.
    /// </summary>
    [Fact]
    public void An_empty_pfifo_fast_root_is_bypassed_and_counts_what_it_sent()
    {
        using var t = new TcBridge();
        for (int i = 0; i < 10; i++) Assert.True(t.Bridge.A.InjectRx(Frames.Udp(100)));
        t.Datapath.PollOnce(t.Clock.Now);

        EgressScheduler s = t.Datapath.Schedulers[1];
        Qdisc root = t.Bridge.B.Device.Root!;
        Assert.Equal(10, LoopbackBridge.Drain(t.Bridge.OutsideB).Count);
        Assert.Equal(10, s.Bypassed);
        Assert.Equal(0, s.DequeueCalls);
        Assert.Equal(10UL, root.Stats.Packets);
        Assert.Equal((ulong)(10 * Frames.Udp(100).Length), root.Stats.Bytes);
        Assert.Equal(0, root.QueueLength);
    }

    [Fact]
    public void A_full_port_stops_dequeues_until_it_has_room_again()
    {
        using var t = new TcBridge();
        // The outside endpoint of b0 has a 1024-frame ring: 1100 frames fill it and leave 76 in pfifo_fast.
        for (int round = 0; round < 11; round++)
        {
            for (int i = 0; i < 100; i++) t.Bridge.A.InjectRx(Frames.Udp(80));
            t.Datapath.PollOnce(t.Clock.Now);
        }
        EgressScheduler s = t.Datapath.Schedulers[1];
        Qdisc root = t.Bridge.B.Device.Root!;
        Assert.True(s.BlockedOnPort);
        Assert.Equal(76, root.QueueLength);
        Assert.Equal(1024, s.Bypassed); // the empty root is bypassed until the port is full
        long calls = s.DequeueCalls;
        for (int i = 0; i < 100; i++) t.Datapath.PollOnce(t.Clock.Now);
        Assert.Equal(calls, s.DequeueCalls);
        Assert.True(t.Datapath.NextDeadline.IsNever); // waiting for the port, not for time

        Assert.Equal(1024, LoopbackBridge.Drain(t.Bridge.OutsideB).Count);
        Assert.True(t.Datapath.PollOnce(t.Clock.Now));
        Assert.Equal(76, LoopbackBridge.Drain(t.Bridge.OutsideB).Count);
        Assert.False(s.BlockedOnPort);
        Assert.Equal(0u, root.Stats.Drops);
    }

    /// <summary>
    /// A tbf whose queue holds one 1000-byte frame, throttled until T. The thread comes back 300 us after T and finds
    /// a frame that arrived meanwhile. In Linux the watchdog dequeued at T and the late frame found room; had the
    /// burst gone first, it would have found the queue full and been dropped, and the room would have gone to
    /// whatever came next: behind a full queue that decides who gets through (a ping beside a flood).
    /// </summary>
    [Fact]
    public void A_watchdog_that_fired_while_frames_waited_dequeues_before_they_are_enqueued()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 root handle 1: tbf rate 8mbit burst 1000 limit 1000");
        var tbf = (TbfQdisc)t.Bridge.B.Device.Root!;
        t.Bridge.A.InjectRx(Frames.Udp(1000)); // goes at once, empties the bucket
        t.Bridge.A.InjectRx(Frames.Udp(1000)); // waits: the queue is full
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Single(LoopbackBridge.Drain(t.Bridge.OutsideB));
        EgressScheduler s = t.Datapath.Schedulers[1];
        TimeNs deadline = s.Deadline;
        Assert.False(deadline.IsNever);

        t.Clock.AdvanceTo(deadline + 300_000);
        t.Bridge.A.InjectRx(Frames.Udp(1000));
        t.Datapath.PollOnce(t.Clock.Now);

        Assert.Single(LoopbackBridge.Drain(t.Bridge.OutsideB));
        Assert.Equal(0u, tbf.Stats.Drops);
        Assert.Equal(1, tbf.QueueLength);
    }

    [Fact]
    public void A_run_stops_at_its_quota_and_the_rest_goes_in_the_next_iteration()
    {
        using var t = new TcBridge(new DatapathOptions { BurstSize = 32 });
        t.Tc("qdisc add dev b0 root handle 1: tbf rate 8mbit burst 100000 limit 1000000");
        var tbf = (TbfQdisc)t.Bridge.B.Device.Root!;
        // Hold 100 frames back with an empty bucket, then let them all be due at once.
        for (int i = 0; i < 100; i++)
        {
            Packet p = t.Bridge.Pool.Rent()!;
            p.Load(Frames.Udp(500));
            tbf.Enqueue(p, t.Clock.Now);
        }
        t.Clock.AdvanceNs(1000 * Ms);
        t.Datapath.Schedulers[1].Run(t.Clock.Now);
        Assert.Equal(32, LoopbackBridge.Drain(t.Bridge.OutsideB).Count);
        Assert.True(t.Datapath.Schedulers[1].IsDue(t.Clock.Now));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Equal(32, LoopbackBridge.Drain(t.Bridge.OutsideB).Count);
    }

    [Fact]
    public void A_watchdog_run_records_how_late_it_dequeued()
    {
        using var bridge = new LoopbackBridge();
        bridge.B.Device.Root = new DelayQdisc(new QdiscContext(bridge.B.Device, 0x10000, TcHandle.Root), delayNs: 5 * Ms);
        bridge.A.InjectRx(Frames.Udp(100));
        bridge.Datapath.PollOnce(bridge.Clock.Now);
        EgressScheduler s = bridge.Datapath.Schedulers[1];
        Assert.Equal(bridge.Clock.Now + 5 * Ms, s.Deadline);
        bridge.Clock.AdvanceNs(5 * Ms + 7_300);
        Assert.True(bridge.Datapath.PollOnce(bridge.Clock.Now));
        Assert.Equal(1, s.WakeupLateness.Count);
        Assert.Equal(7_300, s.WakeupLateness.MaxNs);
        Assert.Equal(7_300, s.WakeupLateness.PercentileNs(0.5));
        Assert.True(s.Deadline.IsNever);
    }

    /// <summary>
    /// htb class of 4 Mbit/s over a tbf leaf of 6 Mbit/s, buckets of one 1000-byte frame each. The tbf throttles the
    /// second frame (its watchdog), sends it at that deadline, and then htb throttles the class (htb's watchdog).
    /// The tbf's deadline has fired and must not be armed again in place of htb's, as it would be if a qdisc's
    /// stored deadline outlived its firing: Linux's watchdog is a one-shot timer.
    /// </summary>
    [Fact]
    public void A_leaf_watchdog_that_already_fired_does_not_hide_the_parents_next_one()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 root handle 1: htb default 1");
        t.Tc("class add dev b0 parent 1: classid 1:1 htb rate 4mbit ceil 4mbit burst 1000 cburst 1000");
        t.Tc("qdisc add dev b0 parent 1:1 handle 10: tbf rate 6mbit burst 1000 limit 100000");
        for (int i = 0; i < 20; i++) t.Bridge.A.InjectRx(Frames.Udp(1000));
        TimeNs start = t.Clock.Now;
        var departures = new List<TimeNs>();
        t.RunUntil(start + 100 * Ms, afterPoll: now =>
        {
            foreach (byte[] _ in LoopbackBridge.Drain(t.Bridge.OutsideB)) departures.Add(now);
        });
        Assert.Equal(20, departures.Count);
        Assert.Equal(0, t.Datapath.Schedulers[1].StaleWakeups);
        // The tbf paces the first frames (1.33 ms), then the class's 4 Mbit/s: 2 ms apart, to the nanosecond.
        Assert.Equal(4 * Ms, departures[3] - start);
        for (int i = 4; i < 20; i++) Assert.Equal(2 * Ms, departures[i] - departures[i - 1]);
    }
}
