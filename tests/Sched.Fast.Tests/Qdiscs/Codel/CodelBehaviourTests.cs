using Sched.Fast.Aqm.Codel;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Codel;
using Sched.Fast.Tests.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Codel;

/// <summary>
/// codel in simulated time: a queue fed faster than it drains, dequeued at a fixed pace, so that every drop
/// instant can be predicted from the kernel's control law (the table in CodelAlgorithmTests).
/// </summary>
public sealed class CodelBehaviourTests : IDisposable
{
    private readonly PacketPool _pool = new(4096);
    private readonly NetDevice _device = new("t0", 2);

    public void Dispose() => _pool.Dispose();

    private CodelQdisc Create(CodelSpec? spec = null) =>
        (CodelQdisc)new CodelKind().Create(spec, new QdiscContext(_device, 0x0001_0000, 0xFFFF_FFFF));

    // drop_next after each count from a first drop at 1000000 (kernel values, see CodelAlgorithmTests)
    private static readonly uint[] s_kernelDropNext =
        [1097654, 1146483, 1201414, 1249049, 1292165, 1331624, 1368262, 1402589, 1434992, 1465758];

    private sealed record DropEvent(TimeNs Time, uint Drops, uint Marks);

    /// <summary>
    /// Enqueues a 1000-byte packet every <paramref name="arrivalNs"/> and dequeues one every
    /// <paramref name="serviceNs"/> for <paramref name="durationNs"/>. Returns each dequeue time at which the drop or
    /// mark counters moved, and the first dequeue time whose packet had waited at least the target.
    /// </summary>
    private (List<DropEvent> Events, TimeNs FirstAboveTarget, List<TimeNs> DequeueTimes) Run(CodelQdisc q,
        long arrivalNs, long serviceNs, long durationNs, byte tos = 0)
    {
        var events = new List<DropEvent>();
        var dequeues = new List<TimeNs>();
        TimeNs start = new(5_000_000_000);
        TimeNs nextArrival = start, nextService = start + serviceNs, end = start + durationNs;
        TimeNs firstAbove = TimeNs.Never;
        uint lastDrops = 0, lastMarks = 0;
        uint target = q.Parameters.Target;
        while (nextArrival < end || nextService < end)
        {
            if (nextArrival <= nextService)
            {
                q.Enqueue(TestFrames.Packet(_pool, 1000, tos: tos), nextArrival);
                nextArrival += arrivalNs;
                continue;
            }
            TimeNs now = nextService;
            nextService += serviceNs;
            dequeues.Add(now);
            Packet? p = q.Dequeue(now);
            q.AssertInvariants();
            if (p is not null)
            {
                uint sojourn = CodelTime.FromTime(now) - CodelAlgorithm.EnqueueTime(p);
                if (firstAbove.IsNever && !CodelTime.Before(sojourn, target)) firstAbove = now;
                p.Free();
            }
            var x = (CodelXstats)q.DumpXstats()!;
            if (q.Stats.Drops != lastDrops || x.EcnMark != lastMarks)
            {
                events.Add(new DropEvent(now, q.Stats.Drops - lastDrops, x.EcnMark - lastMarks));
                lastDrops = q.Stats.Drops;
                lastMarks = x.EcnMark;
            }
        }
        return (events, firstAbove, dequeues);
    }

    /// <summary>The first dequeue instant at which the codel clock has reached <paramref name="due"/>.</summary>
    private static TimeNs FirstDequeueAtOrAfter(List<TimeNs> dequeues, uint due) =>
        dequeues.First(t => CodelTime.AfterOrEqual(CodelTime.FromTime(t), due));

    [Fact]
    public void Drops_start_one_interval_after_the_sojourn_time_exceeds_target_and_follow_the_control_law()
    {
        CodelQdisc q = Create(new CodelSpec(Limit: 10000));
        var (events, firstAbove, dequeues) = Run(q, arrivalNs: 90_000, serviceNs: 100_000, durationNs: 700_000_000);

        Assert.NotEmpty(events);
        uint interval = CodelTime.FromMs(100);
        // first_above_time = T0 + interval; the first drop is at the first dequeue strictly after it
        uint firstAboveTime = CodelTime.FromTime(firstAbove) + interval;
        TimeNs expectedFirst = dequeues.First(t => CodelTime.After(CodelTime.FromTime(t), firstAboveTime));
        Assert.Equal(expectedFirst, events[0].Time);
        Assert.All(events, e => Assert.Equal(1u, e.Drops));

        // every later drop: the first dequeue at or after drop_next, drop_next advancing by the kernel's law
        uint first = CodelTime.FromTime(events[0].Time);
        for (int k = 1; k < Math.Min(events.Count, s_kernelDropNext.Length + 1); k++)
        {
            uint due = first + (s_kernelDropNext[k - 1] - 1000000);
            Assert.Equal(FirstDequeueAtOrAfter(dequeues, due), events[k].Time);
        }
        Assert.True(events.Count > s_kernelDropNext.Length, $"only {events.Count} drops in 700 ms of overload");
        Assert.Equal((uint)events.Count, q.Stats.Drops); // no tail drops: every drop is CoDel's
        q.Reset();
    }

    [Fact]
    public void Ecn_capable_packets_are_marked_on_the_same_schedule_instead_of_dropped()
    {
        CodelQdisc dropping = Create(new CodelSpec(Limit: 10000));
        var drops = Run(dropping, 90_000, 100_000, 400_000_000).Events;
        dropping.Reset();

        CodelQdisc marking = Create(new CodelSpec(Limit: 10000, Ecn: true));
        var marks = Run(marking, 90_000, 100_000, 400_000_000, tos: Ecn.Ect0).Events;

        Assert.Equal(0u, marking.Stats.Drops);
        Assert.NotEmpty(marks);
        // Marking keeps the marked packet, so the queue (and the sojourn times) differ slightly from the dropping
        // run after the first signal; the first signal is at the same instant.
        Assert.Equal(drops[0].Time, marks[0].Time);
        Assert.All(marks, m => Assert.Equal(1u, m.Marks));
        marking.Reset();
    }

    [Fact]
    public void Marked_packets_carry_ce_with_a_valid_ipv4_checksum()
    {
        CodelQdisc q = Create(new CodelSpec(Limit: 10000, Ecn: true));
        TimeNs t = new(1_000_000_000);
        for (int i = 0; i < 400; i++) q.Enqueue(TestFrames.Packet(_pool, 1000, tos: Ecn.Ect0), t);
        int ce = 0;
        for (int i = 0; i < 300; i++)
        {
            t += 1_000_000; // 1 ms per packet: the queue stays far above target
            Packet? p = q.Dequeue(t);
            Assert.NotNull(p);
            if (Ecn.Get(p!.Data) == Ecn.Ce)
            {
                ce++;
                Assert.True(Checksum.Verify(p.Data.Slice(14, 20)), "IPv4 header checksum broken by the CE mark");
            }
            p.Free();
        }
        Assert.Equal(((CodelXstats)q.DumpXstats()!).EcnMark, (uint)ce);
        Assert.True(ce > 0);
        q.Reset();
    }

    [Fact]
    public void Nothing_is_dropped_while_the_backlog_fits_in_one_mtu()
    {
        CodelQdisc q = Create();
        TimeNs t = new(1_000_000_000);
        q.Enqueue(TestFrames.Packet(_pool, 1000), t);
        t += 10_000_000_000; // 10 s of sojourn, but only 1000 bytes queued (<= psched_mtu 1514)
        Packet? p = q.Dequeue(t);
        Assert.NotNull(p);
        p!.Free();
        Assert.Equal(0u, q.Stats.Drops);
        Assert.False(q.Vars.Dropping);
    }

    [Fact]
    public void The_dropping_state_ends_when_the_sojourn_time_falls_below_target()
    {
        CodelQdisc q = Create(new CodelSpec(Limit: 10000));
        Run(q, 90_000, 100_000, 300_000_000);
        Assert.True(q.Vars.Dropping);
        // drain everything quickly, then one fresh packet: its sojourn is below target
        TimeNs t = new(5_300_000_000);
        while (q.Dequeue(t) is { } p) p.Free();
        q.Enqueue(TestFrames.Packet(_pool, 1000), t);
        q.Enqueue(TestFrames.Packet(_pool, 1000), t);
        q.Dequeue(t + 1000)!.Free();
        Assert.False(q.Vars.Dropping);
        q.Reset();
    }

    [Fact]
    public void Re_entering_the_dropping_state_soon_resumes_the_previous_drop_rate()
    {
        CodelQdisc q = Create(new CodelSpec(Limit: 10000));
        Run(q, 90_000, 100_000, 400_000_000);
        Assert.True(q.Vars.Dropping);
        uint countBefore = q.Vars.Count;
        Assert.True(countBefore > 2);

        // Let the queue drain to below target: CoDel leaves the dropping state but keeps count.
        TimeNs t = new(5_400_000_000);
        while (q.QueueLength > 1) q.Dequeue(t)!.Free();
        q.Enqueue(TestFrames.Packet(_pool, 1000), t);
        q.Dequeue(t + 1000)!.Free();
        Assert.False(q.Vars.Dropping);
        q.Dequeue(t + 2000)?.Free();

        // Overload again right away: on re-entry (within 16 intervals) count becomes count - lastcount.
        uint lastCount = q.Vars.LastCount;
        TimeNs now = t + 10_000;
        for (int i = 0; i < 400 && !q.Vars.Dropping; i++)
        {
            for (int k = 0; k < 2; k++) q.Enqueue(TestFrames.Packet(_pool, 1000), now);
            now += 1_000_000;
            q.Dequeue(now)?.Free();
        }
        Assert.True(q.Vars.Dropping);
        Assert.Equal(countBefore - lastCount, q.Vars.Count);
        Assert.Equal(q.Vars.Count, q.Vars.LastCount);
        q.Reset();
    }

    [Fact]
    public void Arrivals_beyond_the_limit_are_tail_dropped_and_counted_as_overlimit()
    {
        CodelQdisc q = Create(new CodelSpec(Limit: 5));
        TimeNs t = new(1_000_000_000);
        for (int i = 0; i < 8; i++)
        {
            EnqueueResult r = q.Enqueue(TestFrames.Packet(_pool, 100), t);
            Assert.Equal(i < 5 ? EnqueueResult.Success : EnqueueResult.Drop, r);
        }
        Assert.Equal(3u, q.Stats.Drops);
        Assert.Equal(3u, ((CodelXstats)q.DumpXstats()!).DropOverlimit);
        Assert.Equal(5, q.QueueLength);
        q.Reset();
    }

    [Fact]
    public void Packets_above_ce_threshold_are_marked_whatever_the_state()
    {
        CodelQdisc q = Create(new CodelSpec(CeThresholdUs: 1000));
        TimeNs t = new(1_000_000_000);
        q.Enqueue(TestFrames.Packet(_pool, 200, tos: Ecn.Ect1), t);
        q.Enqueue(TestFrames.Packet(_pool, 200, tos: Ecn.Ect1), t + 1_500_000);
        Packet a = q.Dequeue(t + 2_000_000)!; // waited 2 ms > 1 ms
        Packet b = q.Dequeue(t + 2_000_000)!; // waited 0.5 ms
        Assert.Equal(Ecn.Ce, Ecn.Get(a.Data));
        Assert.Equal(Ecn.Ect1, Ecn.Get(b.Data));
        Assert.Equal(1u, ((CodelXstats)q.DumpXstats()!).CeMark);
        Assert.Equal(0u, q.Stats.Drops);
        a.Free();
        b.Free();
    }

    [Fact]
    public void Lowering_the_limit_drops_from_the_head()
    {
        CodelQdisc q = Create();
        TimeNs t = new(1_000_000_000);
        for (int i = 0; i < 10; i++)
        {
            Packet p = TestFrames.Packet(_pool, 100);
            p.Meta.Cb[0] = (uint)i;
            q.Enqueue(p, t);
        }
        q.Change(new CodelSpec(Limit: 4));
        Assert.Equal(4, q.QueueLength);
        Assert.Equal(6u, q.Stats.Drops);
        Packet head = q.Dequeue(t)!;
        Assert.Equal(6u, head.Meta.Cb[0]);
        head.Free();
        q.Reset();
    }

    [Fact]
    public void Defaults_are_the_kernels()
    {
        var spec = (CodelSpec)Create().Dump();
        Assert.Equal(new CodelSpec(1000, 4999, 99999, false, null), spec);
    }
}
