using Sched.Fast.Actions;
using Sched.Fast.Aqm.Codel;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.FqCodel;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Aqm.Support;
using Sched.Fast.Tests.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.FqCodel;

/// <summary>fq_codel in simulated time: flow isolation, DRR, the overlimit policy, classification.</summary>
public sealed class FqCodelBehaviourTests : IDisposable
{
    private readonly PacketPool _pool = new(16384);
    private readonly NetDevice _device = new("t0", 2);

    public void Dispose() => _pool.Dispose();

    private FqCodelQdisc Create(FqCodelSpec? spec = null) =>
        (FqCodelQdisc)new FqCodelKind().Create(spec, new QdiscContext(_device, 0x0001_0000, 0xFFFF_FFFF));

    private Packet Udp(int size, ushort srcPort, byte tos = 0, uint priority = 0)
    {
        Packet p = TestFrames.Packet(_pool, size, srcPort: srcPort, tos: tos, priority: priority);
        p.Meta.Cb[0] = srcPort;
        return p;
    }

    [Fact]
    public void A_sparse_flows_sojourn_time_stays_below_target_next_to_a_bulk_flow()
    {
        FqCodelQdisc q = Create();
        // A 10 Mbit/s link: one 1500-byte packet leaves every 1.2 ms. The bulk flow offers twice that; the sparse
        // flow sends 100 bytes every 20 ms. Ten simulated seconds.
        const long service = 1_200_000, bulkGap = 600_000, sparseGap = 20_000_000, duration = 10_000_000_000;
        TimeNs start = new(1_000_000_000), end = start + duration;
        TimeNs nextBulk = start, nextSparse = start + 7_000_000, nextService = start;
        var sparseSojourns = new List<long>();
        var bulkSojourns = new List<long>();
        while (nextService < end)
        {
            TimeNs t = TimeNs.Min(nextBulk, TimeNs.Min(nextSparse, nextService));
            if (t == nextBulk)
            {
                q.Enqueue(Udp(1500, 1000), t);
                nextBulk += bulkGap;
            }
            else if (t == nextSparse)
            {
                q.Enqueue(Udp(100, 2000), t);
                nextSparse += sparseGap;
            }
            else
            {
                if (q.Dequeue(t) is { } p)
                {
                    long sojourn = t.Value - p.Meta.EnqueueNs;
                    (p.Meta.Cb[0] == 2000 ? sparseSojourns : bulkSojourns).Add(sojourn);
                    p.Free();
                }
                nextService += service;
            }
        }
        q.AssertInvariants();
        long target = CodelTime.ToNs(q.Parameters.Target);
        Assert.True(sparseSojourns.Count >= 490, $"the sparse flow got {sparseSojourns.Count} packets through");
        Assert.True(sparseSojourns.Max() < target, $"sparse flow waited up to {sparseSojourns.Max() / 1e6} ms");
        // An unresponsive flow at twice the link rate outruns CoDel's drop rate (sqrt(count) per interval), so it
        // builds a long standing queue: the sparse flow's low delay is isolation, not an empty queue.
        double lateBulk = bulkSojourns.Skip(bulkSojourns.Count / 2).Average();
        Assert.True(lateBulk > 20 * target, $"bulk flow's mean sojourn {lateBulk / 1e6} ms");
        Assert.True(q.Stats.Drops > 0);
        q.Reset();
    }

    /// <summary>
    /// The bufferbloat check of issue 6 in simulated time: a 20 Mbit/s bottleneck (a 1514-byte frame leaves every
    /// 605.6 us), a UDP load at twice that, and a ping every 100 ms. Behind pfifo limit 1000 the ping waits for the
    /// whole standing queue (1000 frames, about 600 ms); behind fq_codel it is a sparse flow and goes almost
    /// straight through.
    /// </summary>
    [Theory]
    [InlineData("fq_codel")]
    [InlineData("pfifo")]
    public void A_ping_next_to_a_udp_load_at_twice_a_20mbit_bottleneck(string kind)
    {
        Qdisc q = kind == "fq_codel"
            ? Create()
            : new Sched.Fast.Qdiscs.Fifo.PfifoKind().Create(new Sched.Fast.Qdiscs.Fifo.FifoSpec(1000),
                new QdiscContext(_device, 0x0001_0000, 0xFFFF_FFFF));
        const long wire = 1514L * 8 * 1_000_000_000 / 20_000_000; // ns per full frame at 20 Mbit/s
        TimeNs start = new(1_000_000_000), end = start + 10 * TimeNs.NsPerSecond;
        // the UDP stream is out of phase with the link, so a ping can slip into a slot the link just freed
        TimeNs nextUdp = start + wire / 7, nextPing = start + 2 * TimeNs.NsPerSecond, nextLink = start;
        var pings = new List<long>();
        while (true)
        {
            TimeNs arrival = TimeNs.Min(nextUdp, nextPing);
            TimeNs t = TimeNs.Min(nextLink, arrival);
            if (t >= end) break;
            if (nextLink < arrival)
            {
                if (q.Dequeue(t) is { } p)
                {
                    long tx = p.QdiscLength * 8L * 1_000_000_000 / 20_000_000;
                    if (p.Meta.Cb[0] == 3000) pings.Add(t.Value + tx - p.Meta.ArrivalNs);
                    nextLink = t + tx;
                    p.Free();
                }
                else
                {
                    nextLink = TimeNs.Min(nextUdp, nextPing);
                }
            }
            else if (t == nextPing)
            {
                Packet ping = Udp(98, 3000);
                ping.Meta.ArrivalNs = t.Value;
                q.Enqueue(ping, t);
                nextPing += 100 * TimeNs.NsPerMs;
            }
            else
            {
                q.Enqueue(Udp(1514, 1000), t);
                nextUdp += wire / 2;
            }
        }
        q.Reset();
        // 80 pings are sent; behind a full pfifo most meet a full queue and are lost, as on the wire
        Assert.True(pings.Count > (kind == "fq_codel" ? 75 : 4), $"{pings.Count} pings got through");
        if (kind == "fq_codel") Assert.True(pings.Max() < 15 * TimeNs.NsPerMs, $"ping up to {pings.Max() / 1e6} ms");
        else Assert.True(pings.Min() > 300 * TimeNs.NsPerMs, $"ping down to {pings.Min() / 1e6} ms");
    }

    [Fact]
    public void Backlogged_flows_share_bytes_equally_whatever_their_packet_sizes()
    {
        FqCodelQdisc q = Create(new FqCodelSpec(Limit: 20000));
        TimeNs t = new(1_000_000_000);
        for (int i = 0; i < 2000; i++) q.Enqueue(Udp(1500, 1000), t);
        for (int i = 0; i < 5000; i++) q.Enqueue(Udp(300, 2000), t);
        long big = 0, small = 0;
        for (int i = 0; i < 3000; i++)
        {
            Packet p = q.Dequeue(t)!;
            if (p.Meta.Cb[0] == 1000) big += p.QdiscLength; else small += p.QdiscLength;
            p.Free();
        }
        Assert.InRange(Math.Abs(big - small), 0, 2 * q.Quantum);
        q.Reset();
    }

    [Fact]
    public void Over_the_limit_half_of_the_fattest_flows_backlog_is_dropped_from_its_head()
    {
        FqCodelQdisc q = Create(new FqCodelSpec(Limit: 100));
        TimeNs t = new(1_000_000_000);
        for (int i = 0; i < 90; i++)
        {
            Packet p = Udp(1000, 1000);
            p.Meta.Cb[1] = (uint)i;
            q.Enqueue(p, t);
        }
        for (int i = 0; i < 10; i++) q.Enqueue(Udp(1000, 2000), t);
        EnqueueResult r = q.Enqueue(Udp(1000, 2000), t);

        Assert.Equal(EnqueueResult.Success, r); // the drops hit another flow
        Assert.Equal(45u, q.Stats.Drops);        // half of 90 packets' backlog, under drop_batch 64
        var x = (FqCodelXstats)q.DumpXstats()!;
        Assert.Equal(45u, x.DropOverlimit);
        Assert.Equal(56, q.QueueLength);
        Packet head = q.Dequeue(t)!;              // flow 1000 is first on the new list: its head is now #45
        Assert.Equal(45u, head.Meta.Cb[1]);
        head.Free();
        q.Reset();
    }

    [Fact]
    public void Dropping_from_the_arriving_flow_reports_congestion()
    {
        FqCodelQdisc q = Create(new FqCodelSpec(Limit: 10, DropBatch: 3));
        TimeNs t = new(1_000_000_000);
        for (int i = 0; i < 10; i++) q.Enqueue(Udp(1000, 1000), t);
        EnqueueResult r = q.Enqueue(Udp(1000, 1000), t);
        Assert.Equal(EnqueueResult.Congestion, r);
        Assert.Equal(3u, q.Stats.Drops);          // drop_batch caps the batch
        Assert.Equal(8, q.QueueLength);
        q.Reset();
    }

    [Fact]
    public void Memory_limit_drops_count_as_overmemory()
    {
        uint slot = (uint)(_pool.DataCapacity + PacketMetadata.Size);
        FqCodelQdisc q = Create(new FqCodelSpec(MemoryLimit: slot * 20));
        TimeNs t = new(1_000_000_000);
        for (int i = 0; i < 21; i++) q.Enqueue(Udp(200, 1000), t);
        var x = (FqCodelXstats)q.DumpXstats()!;
        Assert.True(x.DropOvermemory > 0);
        Assert.Equal(x.DropOverlimit, x.DropOvermemory);
        Assert.True(q.MemoryUsage <= slot * 20);
        q.Reset();
    }

    [Fact]
    public void Priority_with_the_qdisc_major_selects_the_flow_directly()
    {
        FqCodelQdisc q = Create(new FqCodelSpec(Flows: 16));
        TimeNs t = new(1_000_000_000);
        q.Enqueue(Udp(500, 1000, priority: 0x0001_0005), t);
        Assert.Equal(500u, q.FlowBacklog(4));
        q.Enqueue(Udp(500, 1000, priority: 0x0001_0011), t); // minor 17 > 16 flows: hashed instead
        Assert.Equal(500u, q.FlowBacklog(4));
        q.Reset();
    }

    [Fact]
    public void Attached_filters_choose_the_flow_or_drop()
    {
        FqCodelQdisc q = Create(new FqCodelSpec(Flows: 16));
        var verdicts = new Queue<(int, uint)>([
            (TcAct.Ok, 0x0001_0007), (TcAct.Shot, 0), (TcAct.Stolen, 0), (TcAct.Ok, 0x0001_0020), (TcAct.Unspec, 0)]);
        q.Filters.GetOrCreateChain(0).Insert(new ScriptedClassifier(_ => verdicts.Dequeue()));
        TimeNs t = new(1_000_000_000);

        Assert.Equal(EnqueueResult.Success, q.Enqueue(Udp(400, 1000), t));
        Assert.Equal(400u, q.FlowBacklog(6));
        Assert.Equal(EnqueueResult.Bypass, q.Enqueue(Udp(400, 1000), t));  // shot: dropped, counted
        Assert.Equal(EnqueueResult.Stolen, q.Enqueue(Udp(400, 1000), t));  // stolen: not counted
        Assert.Equal(EnqueueResult.Bypass, q.Enqueue(Udp(400, 1000), t));  // minor beyond flows
        Assert.Equal(EnqueueResult.Bypass, q.Enqueue(Udp(400, 1000), t));  // no match
        Assert.Equal(3u, q.Stats.Drops);
        Assert.Equal(1, q.QueueLength);
        Assert.Equal(_pool.Count - 1, _pool.Available);
        q.Reset();
    }

    [Fact]
    public void New_flows_are_counted_and_listed_and_show_as_classes()
    {
        FqCodelQdisc q = Create(new FqCodelSpec(Flows: 64));
        TimeNs t = new(1_000_000_000);
        q.Enqueue(Udp(300, 1000), t);
        q.Enqueue(Udp(300, 1000), t);
        q.Enqueue(Udp(300, 2000), t);
        var x = (FqCodelXstats)q.DumpXstats()!;
        Assert.Equal(2u, x.NewFlowCount);
        Assert.Equal(2u, x.NewFlowsLen);
        Assert.Equal(0u, x.OldFlowsLen);

        var classes = q.WalkClasses().ToList();
        Assert.Equal(2, classes.Count);
        Assert.All(classes, c => Assert.Equal(0x0001_0000u, c.ParentClassId));
        Assert.Contains(classes, c => c.Stats.Qlen == 2 && c.Stats.Backlog == 600);
        Assert.All(classes, c => Assert.False(c.HasBasicStats));
        var cx = (FqCodelClassXstats)classes[0].DumpXstats()!;
        Assert.Equal((int)q.Quantum, cx.Deficit);
        Assert.Null(q.FindClass(classes[0].ClassId));
        q.Reset();
    }

    [Fact]
    public void Ecn_is_on_by_default_and_marks_instead_of_dropping()
    {
        FqCodelQdisc q = Create();
        TimeNs t = new(1_000_000_000);
        for (int i = 0; i < 400; i++) q.Enqueue(Udp(1000, 1000, tos: Ecn.Ect0), t);
        for (int i = 0; i < 300; i++)
        {
            t += 1_000_000;
            q.Dequeue(t)!.Free();
        }
        Assert.Equal(0u, q.Stats.Drops);
        Assert.True(((FqCodelXstats)q.DumpXstats()!).EcnMark > 0);
        q.Reset();
    }

    [Fact]
    public void Ce_threshold_with_a_selector_marks_only_the_selected_ds_values()
    {
        // ce_threshold 1ms ce_threshold_selector 0x1/0x3: only ECT(1) packets are marked above the threshold
        FqCodelQdisc q = Create(new FqCodelSpec(CeThresholdUs: 1000, CeThresholdSelector: 1, CeThresholdMask: 3));
        TimeNs t = new(1_000_000_000);
        q.Enqueue(Udp(200, 1000, tos: Ecn.Ect1), t);
        q.Enqueue(Udp(200, 2000, tos: Ecn.Ect0), t);
        Packet a = q.Dequeue(t + 2_000_000)!;
        Packet b = q.Dequeue(t + 2_000_000)!;
        Packet ect1 = a.Meta.Cb[0] == 1000 ? a : b, ect0 = a.Meta.Cb[0] == 1000 ? b : a;
        Assert.Equal(Ecn.Ce, Ecn.Get(ect1.Data));
        Assert.Equal(Ecn.Ect0, Ecn.Get(ect0.Data));
        Assert.Equal(1u, ((FqCodelXstats)q.DumpXstats()!).CeMark);
        a.Free();
        b.Free();
    }

    [Fact]
    public void Flows_cannot_change_and_quantum_is_bounded()
    {
        FqCodelQdisc q = Create();
        var e = Assert.Throws<TcException>(() => q.Change(new FqCodelSpec(Flows: 128)));
        Assert.Equal("RTNETLINK answers: Invalid argument", e.Message);
        q.Change(new FqCodelSpec(Quantum: 100));
        Assert.Equal(256u, q.Quantum);
        e = Assert.Throws<TcException>(() => q.Change(new FqCodelSpec(Quantum: 2_000_000, Limit: 5)));
        Assert.Equal("Error: Invalid quantum.", e.Message);
        Assert.Equal(FqCodelQdisc.DefaultLimit, q.Limit); // nothing applied
        Assert.Throws<TcException>(() => Create(new FqCodelSpec(Flows: 70000)));
    }

    [Fact]
    public void Lowering_the_limit_dequeues_down_to_it()
    {
        FqCodelQdisc q = Create();
        TimeNs t = new(1_000_000_000);
        for (int i = 0; i < 50; i++) q.Enqueue(Udp(100, (ushort)(1000 + i % 5)), t);
        q.Change(new FqCodelSpec(Limit: 20));
        Assert.Equal(20, q.QueueLength);
        q.AssertInvariants();
        q.Reset();
    }
}
