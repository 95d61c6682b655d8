using Sched.Fast.Actions;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Qdiscs.Htb;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Htb;

/// <summary>sch_htb.c's behaviour, packet by packet and class operation by class operation, in simulated time.</summary>
public sealed class HtbBehaviourTests : IDisposable
{
    private readonly PacketPool _pool = new(1024);
    private readonly ManualClock _clock = new(new TimeNs(5_000_000_000));
    private readonly NetDevice _device = new("t0", 2);

    public void Dispose() => _pool.Dispose();

    private Packet Frame(int bytes, uint priority = 0, uint mark = 0)
    {
        Packet p = TestFrames.Packet(_pool, bytes, priority: priority);
        p.Mark = mark;
        return p;
    }

    private static uint Id(string classId)
    {
        TcHandle.TryParseClassId(classId, out uint id);
        return id;
    }

    private List<uint> DrainNow(HtbQdisc q)
    {
        var sent = new List<uint>();
        while (q.Dequeue(_clock.Now) is { } p)
        {
            q.AssertInvariants();
            sent.Add(p.Priority);
            p.Free();
        }
        return sent;
    }

    // ---- classes ----

    [Fact]
    public void Classes_are_listed_in_the_kernels_hash_order()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 100mbit", "1:1 1:10 rate 1mbit", "1:1 1:20 rate 1mbit",
            "1:1 1:30 rate 1mbit", "1:1 1:40 rate 1mbit", "1:1 1:50 rate 1mbit");
        Assert.Equal(["1:1", "1:10", "1:20", "1:30", "1:40", "1:50"], q.WalkClasses().Select(c => TcHandle.Format(c.ClassId)));

        HtbQdisc r = HtbTestTree.Create(_device, "");
        string parent = "1:";
        foreach (string id in new[] { "1:0", "1:1", "1:2", "1:3", "1:4", "1:5", "1:6", "1:7", "1:8", "1:9" })
        {
            HtbTestTree.AddClass(r, $"{(id == "1:2" ? "1:99" : parent)} {id} rate 1mbit");
            parent = id == "1:0" || id == "1:1" ? "1:" : id;
        }
        r.DeleteClass(HtbTestTree.Class(r, "1:9"));
        HtbTestTree.AddClass(r, "1:8 1:20 rate 1mbit");
        foreach (string id in new[] { "1:100", "1:101", "1:103", "1:104" }) HtbTestTree.AddClass(r, $"1: {id} rate 1mbit");
        // The oracle listed: 3:101 3:100 3:103 3:104 3: 3:1 3:2 3:20 3:3 ... 3:8 (for the same steps on handle 3:).
        Assert.Equal(["1:101", "1:100", "1:103", "1:104", "1:", "1:1", "1:2", "1:20", "1:3", "1:4", "1:5", "1:6", "1:7", "1:8"],
            r.WalkClasses().Select(c => TcHandle.Format(c.ClassId)));
    }

    [Fact]
    public void The_tree_is_at_most_eight_levels_deep()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 1mbit");
        for (int i = 2; i <= 8; i++) HtbTestTree.AddClass(q, $"1:{i - 1} 1:{i} rate 1mbit");
        Assert.Equal(7, HtbTestTree.Class(q, "1:1").ClassLevel);
        Assert.Equal(1, HtbTestTree.Class(q, "1:7").ClassLevel);
        Assert.Equal(0, HtbTestTree.Class(q, "1:8").ClassLevel);
        var e = Assert.Throws<TcException>(() => HtbTestTree.AddClass(q, "1:8 1:9 rate 1mbit"));
        Assert.Equal("RTNETLINK answers: Invalid argument", e.Message);
        q.AssertInvariants();
    }

    [Fact]
    public void A_class_under_a_missing_parent_becomes_a_top_class()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "");
        HtbClass cl = HtbTestTree.AddClass(q, "1:99 1:2 rate 1mbit");
        Assert.Equal(TcHandle.Root, cl.ParentClassId);
        Assert.Null(cl.ParentHtbClass);
    }

    [Theory]
    [InlineData("1: 2:1 rate 1mbit")]      // another qdisc's major
    [InlineData("1: 1:1 rate 1mbit")]      // exists
    public void Bad_classids_are_invalid_arguments(string line)
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 1mbit");
        Assert.Throws<TcException>(() => HtbTestTree.AddClass(q, line));
    }

    [Fact]
    public void A_class_with_children_or_bound_filters_cannot_be_deleted()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 2mbit", "1:1 1:10 rate 1mbit");
        var e = Assert.Throws<TcException>(() => q.DeleteClass(HtbTestTree.Class(q, "1:1")));
        Assert.Equal("RTNETLINK answers: Device or resource busy", e.Message);
        HtbClass leaf = HtbTestTree.Class(q, "1:10");
        leaf.FilterBindCount = 1;
        Assert.Throws<TcException>(() => q.DeleteClass(leaf));
    }

    [Fact]
    public void Adding_a_child_to_a_leaf_drops_its_queue_and_makes_it_an_inner_class()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 2mbit", "1:1 1:10 rate 1mbit");
        for (int i = 0; i < 3; i++) q.Enqueue(Frame(500, Id("1:10")), _clock.Now);
        Assert.Equal(3, q.QueueLength);

        HtbTestTree.AddClass(q, "1:10 1:20 rate 1mbit");
        q.AssertInvariants();
        HtbClass inner = HtbTestTree.Class(q, "1:10");
        Assert.Equal(6, inner.ClassLevel);
        Assert.Null(inner.Leaf);
        Assert.Equal(0, q.QueueLength);
        Assert.Equal(3u, q.Stats.Drops);
        Assert.Equal(1024, _pool.Available);
    }

    [Fact]
    public void Deleting_the_last_child_turns_the_parent_back_into_a_leaf_with_a_fresh_pfifo()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "r2q 1", "1: 1:1 rate 1mbit", "1:1 1:8 rate 1mbit", "1:8 1:9 rate 1mbit");
        q.Enqueue(Frame(500, Id("1:9")), _clock.Now);
        q.DeleteClass(HtbTestTree.Class(q, "1:9"));
        q.AssertInvariants();
        HtbClass parent = HtbTestTree.Class(q, "1:8");
        Assert.Equal(0, parent.ClassLevel);
        Assert.IsType<PfifoQdisc>(parent.Leaf);
        Assert.Equal(125_000, parent.DrrQuantum); // kept from when it was created as a leaf
        Assert.Equal(1u, q.Stats.Drops);
        Assert.Equal(0, q.QueueLength);
        q.Enqueue(Frame(500, Id("1:8")), _clock.Now);
        Assert.Equal([Id("1:8")], DrainNow(q));
    }

    [Fact]
    public void Only_leaves_take_a_qdisc_and_grafting_none_gives_a_pfifo()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 2mbit", "1:1 1:10 rate 1mbit");
        var pfifo = new PfifoKind().Create(new FifoSpec(5), new QdiscContext(_device, 0x0030_0000, Id("1:10")));
        Assert.Throws<TcException>(() => q.Graft(HtbTestTree.Class(q, "1:1"), pfifo));
        q.Enqueue(Frame(100, Id("1:10")), _clock.Now);
        q.Graft(HtbTestTree.Class(q, "1:10"), pfifo).Destroy();
        Assert.Same(pfifo, HtbTestTree.Class(q, "1:10").Leaf);
        Assert.Equal(0, q.QueueLength); // the old leaf's packet was dropped
        q.AssertInvariants();
        Qdisc old = q.Graft(HtbTestTree.Class(q, "1:10"), null);
        Assert.Same(pfifo, old);
        Assert.IsType<PfifoQdisc>(HtbTestTree.Class(q, "1:10").Leaf);
        Assert.Equal(new FifoSpec(1000), HtbTestTree.Class(q, "1:10").Leaf!.Dump());
    }

    [Fact]
    public void Changing_a_class_keeps_its_tokens_and_updates_quantum_and_prio_of_leaves_only()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 1mbit", "1:1 1:10 rate 1mbit");
        HtbClass leaf = HtbTestTree.Class(q, "1:10");
        long tokens = leaf.TokensNs;
        q.ChangeClass(leaf, 0, HtbTestTree.Kind.ParseClassOptions(TcArgs.Parse("rate 3mbit ceil 4mbit prio 2"), TcParseContext.None));
        Assert.Equal(tokens, leaf.TokensNs);
        Assert.Equal(2, leaf.Priority);
        Assert.Equal(37_500, leaf.DrrQuantum);
        HtbClass inner = HtbTestTree.Class(q, "1:1");
        q.ChangeClass(inner, 0, HtbTestTree.Kind.ParseClassOptions(TcArgs.Parse("rate 3mbit prio 2 quantum 5000"), TcParseContext.None));
        Assert.Equal(0, inner.Priority);
        Assert.Throws<TcException>(() => q.ChangeClass(inner, 0, null));
    }

    // ---- classification ----

    [Fact]
    public void Priority_naming_the_qdisc_goes_direct_and_naming_a_leaf_goes_there()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 1mbit");
        q.Enqueue(Frame(100, 0x0001_0000), _clock.Now);
        q.Enqueue(Frame(100, Id("1:1")), _clock.Now);
        Assert.Equal(1u, q.DirectPackets);
        Assert.Equal(1, HtbTestTree.Class(q, "1:1").Leaf!.QueueLength);
        q.Reset();
    }

    [Fact]
    public void Unclassified_packets_go_to_the_default_leaf_or_else_direct()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "default 10", "1: 1:1 rate 1mbit", "1:1 1:10 rate 1mbit");
        q.Enqueue(Frame(100), _clock.Now);
        Assert.Equal(1, HtbTestTree.Class(q, "1:10").Leaf!.QueueLength);
        Assert.Equal(0u, q.DirectPackets);

        HtbQdisc inner = HtbTestTree.Create(_device, "default 1", "1: 1:1 rate 1mbit", "1:1 1:10 rate 1mbit");
        inner.Enqueue(Frame(100), _clock.Now); // the default class is not a leaf: direct
        Assert.Equal(1u, inner.DirectPackets);
        q.Reset();
        inner.Reset();
    }

    [Fact]
    public void The_direct_queue_is_bounded_by_direct_qlen_and_served_first()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "direct_qlen 2", "1: 1:10 rate 1mbit");
        q.Enqueue(Frame(100, Id("1:10")), _clock.Now);
        for (int i = 0; i < 3; i++) q.Enqueue(Frame(100), _clock.Now);
        Assert.Equal(1u, q.Stats.Drops);
        Assert.Equal(2u, q.DirectPackets);
        Assert.Equal([0u, 0u, Id("1:10")], DrainNow(q));
        Assert.Equal(2u, ((HtbSpec)q.Dump()).DirectPackets);
    }

    [Fact]
    public void Filters_pick_the_class_and_inner_class_filters_refine_it()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 2mbit", "1:1 1:10 rate 1mbit", "1:1 1:20 rate 1mbit");
        var top = new MarkClassifier();
        q.Filters.GetOrCreateChain(0).Insert(top);
        var innerFilter = new MarkClassifier();
        q.ClassFilters(HtbTestTree.Class(q, "1:1"))!.GetOrCreateChain(0).Insert(innerFilter);

        q.Enqueue(Frame(100, mark: Id("1:20")), _clock.Now);
        Assert.Equal(1, HtbTestTree.Class(q, "1:20").Leaf!.QueueLength);

        // Mark 1:1 (inner) runs 1:1's filters, which see the same mark: classid 1:1 again, and again, until the loop
        // guard gives up after 8 hops and drops.
        Assert.Equal(EnqueueResult.Drop & 0, q.Enqueue(Frame(100, mark: Id("1:1")), _clock.Now) & EnqueueResult.Drop);
        top.Verdicts[0xdead] = TcAct.Shot;
        top.Verdicts[0xbeef] = TcAct.Stolen;
        EnqueueResult shot = q.Enqueue(Frame(100, mark: 0xdead), _clock.Now);
        EnqueueResult stolen = q.Enqueue(Frame(100, mark: 0xbeef), _clock.Now);
        Assert.Equal(EnqueueResult.Success | EnqueueResult.Bypass, shot);
        Assert.Equal(EnqueueResult.Success | EnqueueResult.Stolen, stolen);
        Assert.Equal(2u, q.Stats.Drops); // the loop and the shot; a stolen packet is not a drop
        Assert.Equal(1, q.QueueLength);
        q.Reset();
        Assert.Equal(1024, _pool.Available);
    }

    // ---- scheduling ----

    [Fact]
    public void A_class_sends_its_burst_then_paces_at_its_rate_and_counts_lends()
    {
        // 1mbit = 125000 B/s: 1000 bytes cost 8 ms; 3000 bytes of burst hold 24 ms. htb lets a packet go while the
        // tokens are not negative and charges it afterwards: 24, 16, 8 and 0 ms left before the packets, so 4 go.
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:10 rate 1mbit burst 3000 cburst 3000");
        for (int i = 0; i < 10; i++) q.Enqueue(Frame(1000, Id("1:10")), _clock.Now);
        Assert.Equal(4, DrainNow(q).Count);
        HtbClass cl = HtbTestTree.Class(q, "1:10");
        Assert.Equal(HtbClassMode.CantSend, cl.ClassMode);
        Assert.Equal(1u, cl.Stats.Overlimits);
        Assert.Equal(1u, q.Stats.Overlimits);
        Assert.Equal(_clock.Now + 8_000_000, q.NextWakeup(_clock.Now));
        _clock.AdvanceNs(7_999_999);
        Assert.Empty(DrainNow(q));
        _clock.AdvanceNs(1);
        Assert.Single(DrainNow(q));
        var x = (HtbClassXstats)cl.DumpXstats();
        Assert.Equal(5u, x.Lends);
        Assert.Equal(0u, x.Borrows);
        Assert.Equal(-8_000_000 >> 6, x.Tokens);
        Assert.Equal(5, cl.Stats.Qlen);
        Assert.Equal(5ul, cl.Stats.Packets);
        q.Reset();
    }

    [Fact]
    public void A_leaf_over_its_rate_borrows_from_its_parent_up_to_its_ceil()
    {
        // Leaf: 8 ms of rate tokens (one 1000-byte packet at 1mbit) and 8 ms of ceil tokens (ten at 10mbit); the
        // parent the same at 10mbit. Two packets go on the leaf's own rate (8 then 0 ms left), nine more borrowed
        // from the parent until the ceil buckets, 0.8 ms per packet, are empty (6.4 ms down to -0.8).
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 10mbit burst 10000 cburst 10000",
            "1:1 1:10 rate 1mbit ceil 10mbit burst 1000 cburst 10000");
        for (int i = 0; i < 20; i++) q.Enqueue(Frame(1000, Id("1:10")), _clock.Now);
        Assert.Equal(11, DrainNow(q).Count);
        var leaf = (HtbClassXstats)HtbTestTree.Class(q, "1:10").DumpXstats();
        var parent = (HtbClassXstats)HtbTestTree.Class(q, "1:1").DumpXstats();
        Assert.Equal(2u, leaf.Lends);
        Assert.Equal(9u, leaf.Borrows);
        Assert.Equal(9u, parent.Lends);
        Assert.Equal(0u, parent.Borrows);
        Assert.Equal(HtbClassMode.CantSend, HtbTestTree.Class(q, "1:10").ClassMode);
        q.Reset();
    }

    [Fact]
    public void Lower_prio_leaves_are_served_first_and_equal_ones_in_round_robin_by_quantum()
    {
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 100mbit burst 100kb cburst 100kb",
            "1:1 1:10 rate 100mbit burst 100kb cburst 100kb prio 1 quantum 2000",
            "1:1 1:20 rate 100mbit burst 100kb cburst 100kb prio 1 quantum 1000",
            "1:1 1:30 rate 100mbit burst 100kb cburst 100kb prio 0 quantum 1000");
        foreach (string c in new[] { "1:10", "1:20", "1:30" })
            for (int i = 0; i < 4; i++) q.Enqueue(Frame(1000, Id(c)), _clock.Now);
        List<uint> order = DrainNow(q);
        uint a = Id("1:10"), b = Id("1:20"), c30 = Id("1:30");
        // prio 0 first; then DRR in classid order: a class keeps the turn until its deficit goes negative, then gets
        // its quantum. Deficits start at 0, so each sends one packet on its first turn; then 1:10 (quantum 2000)
        // sends two per turn and 1:20 (quantum 1000) one; when 1:10 empties the pointer moves on to 1:20.
        Assert.Equal([c30, c30, c30, c30, a, b, a, a, b, a, b, b], order);
    }

    [Fact]
    public void A_leaf_that_holds_its_packets_back_is_skipped_and_its_wakeup_is_honoured()
    {
        // 1:10's leaf is a tbf at 1mbit (a non-work-conserving leaf): htb lets 1:20 go meanwhile, and asks to be
        // woken when the tbf will release its next packet.
        HtbQdisc q = HtbTestTree.Create(_device, "", "1: 1:1 rate 100mbit burst 100kb cburst 100kb",
            "1:1 1:10 rate 50mbit burst 100kb cburst 100kb", "1:1 1:20 rate 50mbit burst 100kb cburst 100kb");
        var tbfKind = new Sched.Fast.Qdiscs.Tbf.TbfKind();
        Qdisc tbf = tbfKind.Create(tbfKind.ParseOptions(TcArgs.Parse("rate 1mbit burst 1000 limit 100000"), TcParseContext.None),
            new QdiscContext(_device, 0x0010_0000, Id("1:10")));
        q.Graft(HtbTestTree.Class(q, "1:10"), tbf).Destroy();
        for (int i = 0; i < 3; i++) q.Enqueue(Frame(1000, Id("1:10")), _clock.Now);
        for (int i = 0; i < 3; i++) q.Enqueue(Frame(1000, Id("1:20")), _clock.Now);

        List<uint> sent = DrainNow(q);
        Assert.Equal([Id("1:10"), Id("1:20"), Id("1:20"), Id("1:20")], sent);
        Assert.Equal(2, q.QueueLength);
        Assert.Equal(_clock.Now + 8_000_000, q.NextWakeup(_clock.Now)); // the tbf's 8 ms for 1000 bytes
        _clock.AdvanceNs(8_000_000);
        Assert.Equal([Id("1:10")], DrainNow(q));
        q.Reset();
    }
}
