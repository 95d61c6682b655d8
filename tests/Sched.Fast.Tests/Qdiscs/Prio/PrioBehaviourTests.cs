using Sched.Fast.Actions;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Codel;
using Sched.Fast.Qdiscs.FqCodel;
using Sched.Fast.Qdiscs.Prio;
using Sched.Fast.Qdiscs.Sfq;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Aqm.Support;
using Sched.Fast.Tests.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Prio;

/// <summary>prio: band selection, strict priority, band changes and grafts with counters kept consistent.</summary>
public sealed class PrioBehaviourTests : IDisposable
{
    private readonly PacketPool _pool = new(4096);
    private readonly NetDevice _device = new("t0", 2) { TxQueueLength = 100 };
    private readonly TimeNs _t = new(1_000_000_000);

    public void Dispose() => _pool.Dispose();

    private QdiscContext Context() => new(_device, 0x0001_0000, 0xFFFF_FFFF);

    private PrioQdisc Create(int bands = 3, byte[]? priomap = null) =>
        (PrioQdisc)new PrioKind().Create(new PrioSpec(bands, priomap ?? (byte[])PrioSpec.DefaultPriomap.Clone()), Context());

    private Packet Udp(int size, uint priority = 0, uint tag = 0)
    {
        Packet p = TestFrames.Packet(_pool, size, priority: priority);
        p.Meta.Cb[0] = tag;
        return p;
    }

    private static int BandOf(PrioQdisc q)
    {
        for (int b = 0; b < q.Bands; b++)
        {
            if (q.BandQdisc(b).QueueLength > 0) return b;
        }
        return -1;
    }

    [Theory]
    [InlineData(0u, 1)]   // TC_PRIO_BESTEFFORT
    [InlineData(2u, 2)]   // TC_PRIO_BULK
    [InlineData(6u, 0)]   // TC_PRIO_INTERACTIVE
    [InlineData(7u, 0)]   // TC_PRIO_CONTROL
    [InlineData(0x17u, 0)] // only the low four bits index the priomap
    [InlineData(0x0005_0006u, 1)] // another qdisc's major: treated as priority 0
    public void The_priomap_maps_skb_priority_to_a_band(uint priority, int band)
    {
        PrioQdisc q = Create();
        q.Enqueue(Udp(100, priority), _t);
        Assert.Equal(band, BandOf(q));
        q.Reset();
    }

    [Theory]
    [InlineData(0x0001_0001u, 0)]
    [InlineData(0x0001_0003u, 2)]
    [InlineData(0x0001_0009u, 1)] // beyond the bands: prio2band[0]
    public void A_priority_naming_this_qdisc_selects_the_band_by_minor(uint priority, int band)
    {
        PrioQdisc q = Create();
        q.Enqueue(Udp(100, priority), _t);
        Assert.Equal(band, BandOf(q));
        q.Reset();
    }

    [Fact]
    public void The_lowest_band_with_a_packet_is_always_served_first()
    {
        PrioQdisc q = Create();
        q.Enqueue(Udp(100, 2, tag: 1), _t);  // band 2
        q.Enqueue(Udp(100, 0, tag: 2), _t);  // band 1
        q.Enqueue(Udp(100, 6, tag: 3), _t);  // band 0
        q.Enqueue(Udp(100, 0, tag: 4), _t);  // band 1
        uint[] order = [3, 2, 4, 1];
        foreach (uint tag in order)
        {
            Assert.Same(q.Peek(_t), q.Peek(_t));
            Packet p = q.Dequeue(_t)!;
            Assert.Equal(tag, p.Meta.Cb[0]);
            p.Free();
        }
        Assert.Null(q.Dequeue(_t));
    }

    [Fact]
    public void Filters_pick_the_band_and_their_verdicts_count_as_the_kernel_does()
    {
        PrioQdisc q = Create();
        var verdicts = new Queue<(int, uint)>([
            (TcAct.Ok, 0x0001_0002), (TcAct.Unspec, 0), (TcAct.Shot, 0), (TcAct.Stolen, 0), (TcAct.Ok, 0x0001_0007)]);
        q.Filters.GetOrCreateChain(0).Insert(new ScriptedClassifier(_ => verdicts.Dequeue()));

        Assert.Equal(EnqueueResult.Success, q.Enqueue(Udp(100, 6), _t)); // classid 1:2 -> band 1
        Assert.Equal(1, q.BandQdisc(1).QueueLength);
        Assert.Equal(EnqueueResult.Success, q.Enqueue(Udp(100, 6), _t)); // no match -> priomap -> band 0
        Assert.Equal(1, q.BandQdisc(0).QueueLength);
        Assert.Equal(EnqueueResult.Bypass, q.Enqueue(Udp(100), _t));
        Assert.Equal(EnqueueResult.Stolen, q.Enqueue(Udp(100), _t));
        Assert.Equal(EnqueueResult.Success, q.Enqueue(Udp(100, 2), _t)); // 1:7 beyond bands -> prio2band[0]
        Assert.Equal(2, q.BandQdisc(1).QueueLength);
        Assert.Equal(1u, q.Stats.Drops);
        Assert.Equal(3, q.QueueLength);
        q.AssertInvariants();
        q.Reset();
    }

    [Fact]
    public void A_full_band_drop_is_counted_by_prio_too()
    {
        PrioQdisc q = Create();
        for (int i = 0; i < 105; i++) q.Enqueue(Udp(100), _t); // pfifo limit = txqueuelen 100
        Assert.Equal(5u, q.Stats.Drops);
        Assert.Equal(5u, q.BandQdisc(1).Stats.Drops);
        Assert.Equal(100, q.QueueLength);
        q.Reset();
    }

    [Fact]
    public void Changing_the_bands_adds_pfifo_children_and_flushes_the_removed_ones()
    {
        PrioQdisc q = Create();
        q.Enqueue(Udp(100, 2), _t);   // band 2
        q.Enqueue(Udp(200, 2), _t);   // band 2
        q.Enqueue(Udp(100, 0), _t);   // band 1
        q.Change(new PrioSpec(2, [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
        Assert.Equal(2, q.Bands);
        Assert.Equal(1, q.QueueLength);
        Assert.Equal(2u, q.Stats.Drops);
        Assert.Equal(2, q.WalkClasses().Count());
        Assert.Equal(_pool.Count - 1, _pool.Available);

        q.Change(new PrioSpec(5, [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 1, 1, 1, 1, 1, 1]));
        Assert.Equal(5, q.WalkClasses().Count());
        Assert.Equal("pfifo", q.BandQdisc(4).Kind);
        Assert.Equal(0x0001_0005u, q.BandQdisc(4).Parent);
        q.AssertInvariants();
        q.Reset();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(-1)]
    public void Band_counts_outside_2_to_16_are_invalid(int bands)
    {
        var e = Assert.Throws<TcException>(() => Create(bands));
        Assert.Equal("RTNETLINK answers: Invalid argument", e.Message);
    }

    [Fact]
    public void A_priomap_entry_beyond_the_bands_is_invalid_and_changes_nothing()
    {
        PrioQdisc q = Create();
        Assert.Throws<TcException>(() => q.Change(new PrioSpec(2, (byte[])PrioSpec.DefaultPriomap.Clone())));
        Assert.Equal(3, q.Bands);
        Assert.Throws<TcException>(() => new PrioKind().Create(null, Context()));
    }

    [Fact]
    public void Grafting_replaces_a_band_and_purges_the_old_child()
    {
        PrioQdisc q = Create();
        q.Enqueue(Udp(100, 0), _t);
        q.Enqueue(Udp(100, 0), _t);
        QdiscClass band1 = q.FindClass(0x0001_0002)!;
        Qdisc sfq = new SfqKind().Create(null, new QdiscContext(_device, 0x0010_0000, band1.ClassId));
        Qdisc old = q.Graft(band1, sfq);
        old.Destroy();
        Assert.Same(sfq, band1.Leaf);
        Assert.Same(q, sfq.ParentQdisc);
        Assert.Equal(0, q.QueueLength);
        Assert.Equal(2u, q.Stats.Drops);
        q.Enqueue(Udp(100, 0), _t);
        Assert.Equal(1, sfq.QueueLength);
        Assert.Null(q.FindClass(0x0001_0004));

        Qdisc again = q.Graft(band1, null); // back to a default pfifo
        again.Destroy();
        Assert.Equal("pfifo", band1.Leaf!.Kind);
        q.AssertInvariants();
        q.Reset();
    }

    [Fact]
    public void Class_counters_are_the_band_qdiscs()
    {
        PrioQdisc q = Create();
        q.Enqueue(Udp(300, 6), _t);
        q.Enqueue(Udp(300, 6), _t);
        q.Dequeue(_t)!.Free();
        QdiscClass c = q.FindClass(0x0001_0001)!;
        Assert.Null(c.Dump());
        Assert.Equal(1ul, c.Stats.Packets);
        Assert.Equal(300ul, c.Stats.Bytes);
        Assert.Equal(1, c.Stats.Qlen);
        Assert.Equal(300u, c.Stats.Backlog);
        q.Reset();
    }

    [Fact]
    public void Codel_drops_in_a_band_are_reported_up_to_prio()
    {
        PrioQdisc q = Create();
        QdiscClass band = q.FindClass(0x0001_0002)!;
        q.Graft(band, new CodelKind().Create(new CodelSpec(Limit: 10000), new QdiscContext(_device, 0x0020_0000, band.ClassId))).Destroy();
        TimeNs t = _t;
        for (int i = 0; i < 600; i++) q.Enqueue(Udp(1000), t);
        for (int i = 0; i < 400 && q.QueueLength > 0; i++)
        {
            t += 1_000_000;
            q.Dequeue(t)?.Free();
            q.AssertInvariants();
        }
        Qdisc codel = band.Leaf!;
        Assert.True(codel.Stats.Drops > 0);
        Assert.Equal(codel.Stats.Drops, q.Stats.Drops);
        Assert.Equal(codel.QueueLength, q.QueueLength);
        q.Reset();
    }

    [Fact]
    public void Fq_codel_congestion_in_a_band_keeps_prio_consistent()
    {
        PrioQdisc q = Create();
        QdiscClass band = q.FindClass(0x0001_0002)!;
        q.Graft(band, new FqCodelKind().Create(new FqCodelSpec(Limit: 20, DropBatch: 4), new QdiscContext(_device, 0x0020_0000, band.ClassId))).Destroy();
        for (int i = 0; i < 50; i++)
        {
            q.Enqueue(Udp(500), _t);
            q.AssertInvariants();
        }
        Qdisc fq = band.Leaf!;
        Assert.Equal(fq.QueueLength, q.QueueLength);
        Assert.Equal(fq.Stats.Drops, q.Stats.Drops);
        Assert.Equal(50u, (uint)q.QueueLength + q.Stats.Drops);
        q.Reset();
    }
}
