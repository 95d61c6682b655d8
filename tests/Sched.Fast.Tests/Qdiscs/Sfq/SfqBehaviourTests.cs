using Sched.Fast.Aqm.Red;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Sfq;
using Sched.Fast.Actions;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Aqm.Support;
using Sched.Fast.Tests.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Sfq;

/// <summary>sfq: round-robin fairness, depth and limit policies, the kernel's option clamps, perturbation, RED.</summary>
public sealed class SfqBehaviourTests : IDisposable
{
    private readonly PacketPool _pool = new(8192);
    private readonly NetDevice _device = new("t0", 2);
    private readonly TimeNs _t = new(1_000_000_000);

    public void Dispose() => _pool.Dispose();

    private SfqQdisc Create(SfqSpec? spec = null, uint handle = 0x0001_0000)
    {
        var q = (SfqQdisc)new SfqKind().Create(spec, new QdiscContext(_device, handle, 0xFFFF_FFFF));
        q.Seed(42);
        return q;
    }

    private Packet Udp(int size, ushort srcPort, uint seq = 0, byte tos = 0, uint priority = 0)
    {
        Packet p = TestFrames.Packet(_pool, size, srcPort: srcPort, tos: tos, priority: priority);
        p.Meta.Cb[0] = srcPort;
        p.Meta.Cb[1] = seq;
        return p;
    }

    [Fact]
    public void Backlogged_flows_get_equal_bytes_per_round()
    {
        SfqQdisc q = Create(new SfqSpec(Limit: 3000, Depth: 127, Flows: 128));
        int[] sizes = [1500, 700, 100];
        for (int i = 0; i < 120; i++)
        {
            for (int f = 0; f < sizes.Length; f++) q.Enqueue(Udp(sizes[f], (ushort)(1000 + f)), _t);
        }
        var bytes = new long[3];
        for (int i = 0; i < 150; i++)
        {
            Packet p = q.Dequeue(_t)!;
            bytes[p.Meta.Cb[0] - 1000] += p.QdiscLength;
            p.Free();
            q.AssertInvariants();
        }
        long max = bytes.Max(), min = bytes.Min();
        Assert.InRange(max - min, 0, 2 * q.Quantum);
        q.Reset();
    }

    [Fact]
    public void A_flow_beyond_depth_loses_its_arrivals()
    {
        SfqQdisc q = Create(new SfqSpec(Depth: 4));
        for (uint i = 0; i < 6; i++)
        {
            EnqueueResult r = q.Enqueue(Udp(200, 1000, i), _t);
            Assert.Equal(i < 4 ? EnqueueResult.Success : EnqueueResult.Drop, r);
        }
        Assert.Equal(2u, q.Stats.Drops);
        Assert.Equal(0u, q.Dequeue(_t)!.Meta.Cb[1]);
        q.Reset();
    }

    [Fact]
    public void With_headdrop_a_flow_beyond_depth_loses_its_oldest_packet()
    {
        SfqQdisc q = Create(new SfqSpec(Depth: 4, Headdrop: true));
        for (uint i = 0; i < 6; i++) q.Enqueue(Udp(200, 1000, i), _t);
        Assert.Equal(2u, q.Stats.Drops);
        Assert.Equal(4, q.QueueLength);
        Packet head = q.Dequeue(_t)!;
        Assert.Equal(2u, head.Meta.Cb[1]);
        head.Free();
        q.Reset();
    }

    [Fact]
    public void Over_the_limit_the_longest_flow_loses_its_newest_packet()
    {
        SfqQdisc q = Create(new SfqSpec(Limit: 10));
        for (uint i = 0; i < 7; i++) q.Enqueue(Udp(200, 1000, i), _t);
        for (uint i = 0; i < 3; i++) q.Enqueue(Udp(200, 2000, i), _t);
        EnqueueResult other = q.Enqueue(Udp(200, 2000, 3), _t);
        Assert.Equal(EnqueueResult.Success, other); // the drop hit flow 1000, not this one
        Assert.Equal(1u, q.Stats.Drops);
        EnqueueResult same = q.Enqueue(Udp(200, 1000, 7), _t);
        Assert.Equal(EnqueueResult.Congestion, same); // flow 1000 is (jointly) longest and loses its tail
        Assert.Equal(10, q.QueueLength);
        q.AssertInvariants();
        q.Reset();
    }

    [Theory]
    [InlineData(1000u, 50u, 10u, 64u, 500u, 50u, 10u)]    // limit = min(limit, depth * flows)
    [InlineData(3u, 2u, 1u, 0u, 2u, 2u, 1u)]               // flows = min(flows, limit)
    [InlineData(1000u, 200u, 2000u, 128u, 1000u, 127u, 128u)] // depth <= 127, flows <= divisor
    public void Options_are_clamped_as_the_kernel_does(uint limit, uint depth, uint flows, uint divisor,
        uint expectLimit, uint expectDepth, uint expectFlows)
    {
        var s = (SfqSpec)Create(new SfqSpec(Limit: limit, Depth: depth, Flows: flows, Divisor: divisor)).Dump();
        Assert.Equal(expectLimit, s.Limit);
        Assert.Equal(expectDepth, s.Depth);
        Assert.Equal(expectFlows, s.Flows);
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_kernels_errors()
    {
        Assert.Equal("RTNETLINK answers: Invalid argument",
            Assert.Throws<TcException>(() => Create(new SfqSpec(Divisor: 100))).Message);
        Assert.Equal("Error: sch_sfq: invalid quantum.",
            Assert.Throws<TcException>(() => Create(new SfqSpec(Quantum: 3_000_000_000))).Message);
        Assert.Equal("Error: sch_sfq: invalid perturb period.",
            Assert.Throws<TcException>(() => Create(new SfqSpec(PerturbPeriod: -1))).Message);
        Assert.Equal("Error: sch_sfq: invalid limit.",
            Assert.Throws<TcException>(() => Create(new SfqSpec(Limit: 3, Depth: 1, Flows: 1))).Message);
        Assert.Equal("Error: Change operation not supported by specified qdisc.",
            Assert.Throws<TcException>(() => Create().Change(new SfqSpec(Limit: 10))).Message);
    }

    [Fact]
    public void Perturbation_rehashes_queued_packets_without_reordering_a_flow()
    {
        SfqQdisc q = Create(new SfqSpec(PerturbPeriod: 10));
        q.Enqueue(Udp(100, 999), _t); // arms the timer: due at t + 10 s
        q.Dequeue(_t)!.Free();
        for (uint i = 0; i < 40; i++) q.Enqueue(Udp(300, (ushort)(1000 + i % 8), i), _t + 1000);
        uint key = q.Perturbation;
        TimeNs later = _t + 11 * TimeNs.NsPerSecond;
        var last = new Dictionary<uint, uint>();
        int n = 0;
        while (q.Dequeue(later) is { } p)
        {
            q.AssertInvariants();
            uint flow = p.Meta.Cb[0], seq = p.Meta.Cb[1];
            if (last.TryGetValue(flow, out uint prev)) Assert.True(seq > prev, $"flow {flow}: {seq} after {prev}");
            last[flow] = seq;
            p.Free();
            n++;
        }
        Assert.NotEqual(key, q.Perturbation);
        Assert.Equal(40, n);
        Assert.Equal(0u, q.Stats.Drops);
    }

    [Fact]
    public void Per_flow_red_drops_a_flow_whose_average_backlog_passes_max()
    {
        // redflowlimit 40000 harddrop: max 10000, min 3333, ewma 2 (what tc computes, see the parser tests)
        SfqQdisc q = Create(new SfqSpec(RedLimit: 40000, QthMin: 3333, QthMax: 10000, Wlog: 2, Plog: 18,
            Flags: RedFlags.HardDrop, MaxP: TcRed.ProbabilityToMaxP(0.02)));
        for (int i = 0; i < 100; i++) q.Enqueue(Udp(1000, 1000, (uint)i), _t);
        var s = (SfqSpec)q.Dump();
        Assert.True(s.Stats.ForcedDrop > 0);
        Assert.Equal(s.Stats.ForcedDrop + s.Stats.ProbDrop, q.Stats.Drops);
        Assert.Equal(q.Stats.Drops, q.Stats.Overlimits);
        Assert.True(q.BacklogBytes < 20000);
        q.Reset();
    }

    [Fact]
    public void Per_flow_red_with_ecn_marks_instead_of_dropping()
    {
        SfqQdisc q = Create(new SfqSpec(RedLimit: 40000, QthMin: 3333, QthMax: 10000, Wlog: 2, Plog: 18,
            Flags: RedFlags.Ecn, MaxP: TcRed.ProbabilityToMaxP(0.02), Depth: 127));
        for (int i = 0; i < 100; i++) q.Enqueue(Udp(1000, 1000, (uint)i, tos: Ecn.Ect0), _t);
        var s = (SfqSpec)q.Dump();
        Assert.True(s.Stats.ForcedMark > 0);
        Assert.Equal(0u, q.Stats.Drops);
        Assert.Equal(100, q.QueueLength);
        q.Reset();
    }

    [Fact]
    public void Active_buckets_show_as_classes_with_their_allot()
    {
        SfqQdisc q = Create(new SfqSpec(Quantum: 1001));
        for (int i = 0; i < 3; i++) q.Enqueue(Udp(142, 1000), _t);
        q.Enqueue(Udp(142, 2000), _t);
        var before = q.WalkClasses().Cast<SfqClass>().ToList();
        Assert.Equal(2, before.Count);
        Assert.All(before, c => Assert.Equal(1001, ((SfqXstats)c.DumpXstats()!).Allot));
        q.Dequeue(_t)!.Free();
        var after = q.WalkClasses().Cast<SfqClass>().ToList();
        Assert.Contains(after, c => ((SfqXstats)c.DumpXstats()!).Allot == 1001 - 142 && c.Stats.Qlen == 2);
        Assert.All(after, c => Assert.False(c.HasBasicStats));
        q.Reset();
    }

    [Fact]
    public void Priority_with_the_qdisc_major_selects_the_bucket()
    {
        SfqQdisc q = Create();
        q.Enqueue(Udp(100, 1000, priority: 0x0001_0009), _t);
        var c = Assert.Single(q.WalkClasses());
        Assert.Equal(0x0001_0009u, c.ClassId);
        q.Reset();
    }

    /// <summary>sfq_classify() with filters: the class minor is the bucket; shot drops (counted), stolen does not count.</summary>
    [Fact]
    public void Attached_filters_choose_the_bucket_or_drop()
    {
        SfqQdisc q = Create();
        var verdicts = new Queue<(int, uint)>([
            (TcAct.Ok, 0x0001_0007), (TcAct.Shot, 0), (TcAct.Stolen, 0), (TcAct.Ok, 0x0001_0401), (TcAct.Unspec, 0)]);
        q.Filters.GetOrCreateChain(0).Insert(new ScriptedClassifier(_ => verdicts.Dequeue()));

        Assert.Equal(EnqueueResult.Success, q.Enqueue(Udp(400, 1000), _t));
        Assert.Equal(0x0001_0007u, Assert.Single(q.WalkClasses()).ClassId);
        Assert.Equal(EnqueueResult.Bypass, q.Enqueue(Udp(400, 1000), _t));  // shot: dropped, counted
        Assert.Equal(EnqueueResult.Stolen, q.Enqueue(Udp(400, 1000), _t));  // stolen: not counted
        Assert.Equal(EnqueueResult.Bypass, q.Enqueue(Udp(400, 1000), _t));  // minor beyond the divisor (1024)
        Assert.Equal(EnqueueResult.Bypass, q.Enqueue(Udp(400, 1000), _t));  // no match
        Assert.Equal(3u, q.Stats.Drops);
        Assert.Equal(1, q.QueueLength);
        Assert.Equal(_pool.Count - 1, _pool.Available);
        q.Reset();
    }

    [Fact]
    public void Reset_counts_the_purged_packets_as_sent_as_the_kernel_does()
    {
        SfqQdisc q = Create();
        for (int i = 0; i < 5; i++) q.Enqueue(Udp(100, 1000), _t);
        q.Reset();
        Assert.Equal(5ul, q.Stats.Packets);
        Assert.Equal(0, q.QueueLength);
        Assert.Equal(_pool.Count, _pool.Available);
    }
}
