using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Qdiscs.Tbf;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Tbf;

/// <summary>sch_tbf.c's behaviour, packet by packet, in simulated time.</summary>
public sealed class TbfBehaviourTests : IDisposable
{
    private readonly PacketPool _pool = new(512);
    private readonly ManualClock _clock = new(new TimeNs(5_000_000_000));
    private readonly NetDevice _device = new("t0", 2);

    public void Dispose() => _pool.Dispose();

    private TbfQdisc Create(string options)
    {
        var kind = new TbfKind();
        return (TbfQdisc)kind.Create(kind.ParseOptions(TcArgs.Parse(options), TcParseContext.None),
            new QdiscContext(_device, 0x0001_0000, TcHandle.Root));
    }

    private Packet Frame(int bytes) => TestFrames.Packet(_pool, bytes);

    private int DrainNow(Qdisc q)
    {
        int n = 0;
        while (q.Dequeue(_clock.Now) is { } p)
        {
            q.AssertInvariants();
            p.Free();
            n++;
        }
        return n;
    }

    [Fact]
    public void Sends_the_burst_at_once_then_one_packet_per_packet_time()
    {
        // 1mbit = 125000 B/s: a 1000-byte packet costs 8 ms; the bucket holds 3000 bytes = 24 ms.
        TbfQdisc q = Create("rate 1mbit burst 3000 limit 100000");
        for (int i = 0; i < 10; i++) q.Enqueue(Frame(1000), _clock.Now);

        Assert.Equal(3, DrainNow(q));
        Assert.Equal(1u, q.Stats.Overlimits);
        Assert.Equal(_clock.Now + 8_000_000, q.NextWakeup(_clock.Now));

        _clock.AdvanceNs(7_999_999);
        Assert.Equal(0, DrainNow(q));
        _clock.AdvanceNs(1);
        Assert.Equal(1, DrainNow(q));
        Assert.Equal(6, q.QueueLength);
    }

    [Fact]
    public void Tokens_accumulate_while_idle_but_never_beyond_the_burst()
    {
        TbfQdisc q = Create("rate 1mbit burst 3000 limit 100000");
        q.Enqueue(Frame(1000), _clock.Now);
        Assert.Equal(1, DrainNow(q));
        _clock.AdvanceNs(10 * TimeNs.NsPerSecond);
        for (int i = 0; i < 5; i++) q.Enqueue(Frame(1000), _clock.Now);
        Assert.Equal(3, DrainNow(q));
    }

    [Fact]
    public void A_packet_larger_than_the_burst_can_never_conform_and_is_dropped_on_arrival()
    {
        TbfQdisc q = Create("rate 1mbit burst 1000 limit 100000");
        Assert.Equal(1000u, q.MaxSizeBytes);
        Assert.Equal(EnqueueResult.Drop, q.Enqueue(Frame(1001), _clock.Now));
        Assert.Equal(EnqueueResult.Success, q.Enqueue(Frame(1000), _clock.Now));
        Assert.Equal(1u, q.Stats.Drops);
        Assert.Equal(1, q.QueueLength);
        q.Reset();
    }

    [Fact]
    public void The_peak_rate_spaces_packets_even_while_the_rate_bucket_is_full()
    {
        // peakrate 2mbit = 250000 B/s: 1000 bytes cost 4 ms of a 6.4 ms (1600-byte) peak bucket.
        TbfQdisc q = Create("rate 1mbit burst 10kb limit 100000 peakrate 2mbit mtu 1600");
        for (int i = 0; i < 4; i++) q.Enqueue(Frame(1000), _clock.Now);
        Assert.Equal(1, DrainNow(q));
        Assert.Equal(_clock.Now + 1_600_000, q.NextWakeup(_clock.Now));
        _clock.AdvanceNs(1_600_000);
        Assert.Equal(1, DrainNow(q));
        _clock.AdvanceNs(4_000_000);
        Assert.Equal(1, DrainNow(q));
        q.Reset();
    }

    [Fact]
    public void The_limit_bounds_the_backlog_in_bytes_and_tbf_counts_the_childs_drops()
    {
        TbfQdisc q = Create("rate 1mbit burst 3000 limit 3000");
        Assert.IsType<BfifoQdisc>(q.Child);
        for (int i = 0; i < 3; i++) Assert.Equal(EnqueueResult.Success, q.Enqueue(Frame(1000), _clock.Now));
        Assert.Equal(EnqueueResult.Drop, q.Enqueue(Frame(1000), _clock.Now));
        Assert.Equal(1u, q.Stats.Drops);
        Assert.Equal(3000u, q.BacklogBytes);
        q.Reset();
    }

    [Fact]
    public void Without_a_child_tbf_drops_everything()
    {
        TbfQdisc q = Create("rate 1mbit burst 3000 limit 3000");
        q.Enqueue(Frame(100), _clock.Now);
        Qdisc old = q.Graft(q.FindClass(0x0001_0001)!, null);
        old.Destroy();
        Assert.Equal(0, q.QueueLength);
        Assert.Equal(1u, q.Stats.Drops); // the purged packet
        Assert.Equal(EnqueueResult.Congestion, q.Enqueue(Frame(100), _clock.Now));
        Assert.Equal(2u, q.Stats.Drops);
        Assert.Equal(512, _pool.Available);
    }

    [Fact]
    public void A_grafted_child_receives_the_packets_and_change_sets_a_fifo_childs_limit()
    {
        TbfQdisc q = Create("rate 1mbit burst 3000 limit 3000");
        var ctx = new QdiscContext(_device, 0x0014_0000, 0x0001_0001);
        Qdisc pfifo = new PfifoKind().Create(new FifoSpec(10), ctx);
        q.Graft(q.FindClass(0x0001_0001)!, pfifo).Destroy();
        Assert.Same(pfifo, q.Child);

        var kind = new TbfKind();
        q.Change(kind.ParseOptions(TcArgs.Parse("rate 2mbit burst 3000 limit 5000"), TcParseContext.None)!);
        Assert.Same(pfifo, q.Child);
        Assert.Equal(new FifoSpec(5000), pfifo.Dump());
    }

    [Fact]
    public void Change_refills_the_buckets_and_keeps_the_queue()
    {
        TbfQdisc q = Create("rate 1mbit burst 3000 limit 100000");
        for (int i = 0; i < 5; i++) q.Enqueue(Frame(1000), _clock.Now);
        Assert.Equal(3, DrainNow(q));
        var kind = new TbfKind();
        q.Change(kind.ParseOptions(TcArgs.Parse("rate 1mbit burst 2000 limit 100000"), TcParseContext.None)!);
        Assert.Equal(2, q.QueueLength);
        Assert.Equal(2, DrainNow(q));
    }

    [Fact]
    public void A_rejected_change_leaves_the_qdisc_as_it_was()
    {
        TbfQdisc q = Create("rate 1mbit burst 3000 limit 100000");
        QdiscSpec before = q.Dump();
        var bad = new TbfSpec(1000, new Sched.Fast.Shaping.TcRateSpec(125_000), new Sched.Fast.Shaping.TcRateSpec(100_000), 100, 100);
        Assert.Throws<TcException>(() => q.Change(bad));
        Assert.Equal(before, q.Dump());
    }

    [Fact]
    public void Reset_refills_the_buckets()
    {
        TbfQdisc q = Create("rate 1mbit burst 3000 limit 100000");
        for (int i = 0; i < 5; i++) q.Enqueue(Frame(1000), _clock.Now);
        DrainNow(q);
        q.Reset();
        Assert.Equal(24_000_000, q.TokensNs);
        for (int i = 0; i < 5; i++) q.Enqueue(Frame(1000), _clock.Now);
        Assert.Equal(3, DrainNow(q));
        q.Reset();
    }
}
