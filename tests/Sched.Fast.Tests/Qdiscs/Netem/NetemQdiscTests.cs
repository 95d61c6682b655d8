using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Qdiscs.Netem;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>netem's behaviour packet by packet, in simulated time (sch_netem.c netem_enqueue()/netem_dequeue()).</summary>
public sealed class NetemQdiscTests : IDisposable
{
    private readonly NetemRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private const long Ms = TimeNs.NsPerMs;

    [Fact]
    public void A_delayed_packet_leaves_exactly_after_the_delay_and_not_before()
    {
        NetemQdisc q = _rig.Netem("delay 50ms");
        TimeNs start = _rig.Now;
        Assert.Equal(EnqueueResult.Success, q.Enqueue(_rig.Packet(), start));
        Assert.Null(q.Dequeue(start));
        Assert.Equal(start + 50 * Ms, q.NextWakeup(start));
        _rig.Clock.AdvanceTo(start + 50 * Ms - 1);
        Assert.Null(q.Dequeue(_rig.Now));
        _rig.Clock.AdvanceNs(1);
        Packet? p = q.Dequeue(_rig.Now);
        Assert.NotNull(p);
        Assert.Equal(1UL, q.Stats.Packets);
        Assert.Equal(0, q.QueueLength);
        p!.Free();
    }

    [Fact]
    public void Delays_have_the_resolution_of_64_ns_ticks_as_tc_sends_them()
    {
        // 1us is 15.625 ticks, truncated to 15: 960 ns.
        NetemQdisc q = _rig.Netem("delay 1us");
        Assert.Equal(960, q.LatencyNs);
        q.Enqueue(_rig.Packet(), _rig.Now);
        Assert.Null(q.Dequeue(_rig.Now));
        Assert.Equal(_rig.Now + 960, q.NextWakeup(_rig.Now));
        q.Reset();
    }

    [Fact]
    public void Without_jitter_packets_leave_in_arrival_order_at_their_delay()
    {
        NetemQdisc q = _rig.Netem("delay 10ms");
        var sent = new List<(Packet, TimeNs)>();
        for (int i = 0; i < 10; i++)
        {
            Packet p = _rig.Packet();
            p.Meta.Cb[0] = (uint)i;
            sent.Add((p, _rig.Now));
            q.Enqueue(p, _rig.Now);
            _rig.Clock.AdvanceNs(Ms);
        }
        var out_ = _rig.DrainAll(q);
        Assert.Equal(10, out_.Count);
        for (int i = 0; i < 10; i++)
        {
            Assert.Same(sent[i].Item1, out_[i].Packet);
            Assert.Equal(sent[i].Item2 + 10 * Ms, out_[i].At);
        }
        NetemRig.FreeAll(out_.Select(x => x.Packet));
    }

    [Fact]
    public void Uniform_jitter_stays_within_plus_minus_jitter_and_the_queue_sends_in_time_order()
    {
        NetemQdisc q = _rig.Netem("delay 100ms 20ms");
        TimeNs start = _rig.Now;
        for (int i = 0; i < 500; i++) q.Enqueue(_rig.Packet(), start);
        var out_ = _rig.DrainAll(q);
        Assert.Equal(500, out_.Count);
        TimeNs previous = start;
        foreach ((Packet _, TimeNs at) in out_)
        {
            Assert.InRange(at - start, 80 * Ms, 120 * Ms - 1);
            Assert.True(at >= previous);
            previous = at;
        }
        NetemRig.FreeAll(out_.Select(x => x.Packet));
    }

    [Fact]
    public void Equal_times_to_send_leave_in_arrival_order_across_the_list_and_the_heap()
    {
        var tfifo = new NetemTimeQueue();
        var packets = new List<Packet>();
        // Times 5, 9, 5, 5, 3, 9: the first 5 and 9 go to the list, the rest to the heap.
        long[] times = [5, 9, 5, 5, 3, 9];
        foreach (long t in times)
        {
            Packet p = _rig.Packet();
            p.Meta.QdiscScratch = t;
            packets.Add(p);
            tfifo.Enqueue(p);
            tfifo.AssertInvariants();
        }
        int[] expectedOrder = [4, 0, 2, 3, 1, 5];
        foreach (int i in expectedOrder)
        {
            Packet? head = tfifo.Peek();
            Assert.Same(packets[i], head);
            tfifo.RemoveFirst(head!);
            tfifo.AssertInvariants();
        }
        Assert.Null(tfifo.Peek());
        NetemRig.FreeAll(packets);
    }

    [Fact]
    public void A_negative_delay_from_a_wide_jitter_sends_the_packet_at_once()
    {
        NetemQdisc q = _rig.Netem("delay 1ms 10ms");
        int immediate = 0;
        for (int i = 0; i < 200; i++)
        {
            q.Enqueue(_rig.Packet(), _rig.Now);
            foreach (Packet p in _rig.DrainNow(q))
            {
                immediate++;
                p.Free();
            }
        }
        // delay is uniform on [-9ms, 11ms): about 45% are due at once.
        Assert.InRange(immediate, 60, 120);
        q.Reset();
    }

    [Fact]
    public void Loss_of_100_percent_drops_every_packet_and_reports_bypass()
    {
        NetemQdisc q = _rig.Netem("loss 100%");
        for (int i = 0; i < 20; i++)
            Assert.Equal(EnqueueResult.Success | EnqueueResult.Bypass, q.Enqueue(_rig.Packet(), _rig.Now));
        Assert.Equal(20u, q.Stats.Drops);
        Assert.Equal(0, q.QueueLength);
        Assert.Equal(_rig.Pool.Count, _rig.Pool.Available);
    }

    [Fact]
    public void Ecn_marks_capable_packets_instead_of_dropping_and_counts_the_mark_as_a_drop()
    {
        NetemQdisc q = _rig.Netem("loss 100% ecn");
        Assert.Equal(EnqueueResult.Success, q.Enqueue(_rig.Packet(tos: Ecn.Ect0), _rig.Now));
        Assert.Equal(EnqueueResult.Success | EnqueueResult.Bypass, q.Enqueue(_rig.Packet(tos: Ecn.NotEct), _rig.Now));
        Assert.Equal(2u, q.Stats.Drops);
        Packet p = Assert.Single(_rig.DrainNow(q));
        Assert.Equal(Ecn.Ce, Ecn.Get(p.Data));
        Assert.True(Checksum.Verify(p.Data[14..34]));
        p.Free();
    }

    [Fact]
    public void Duplicate_100_percent_sends_every_packet_twice_and_never_duplicates_a_duplicate()
    {
        NetemQdisc q = _rig.Netem("duplicate 100%");
        for (int i = 0; i < 10; i++)
        {
            Packet p = _rig.Packet();
            p.Meta.Cb[0] = (uint)i;
            Assert.Equal(EnqueueResult.Success, q.Enqueue(p, _rig.Now));
            q.AssertInvariants();
        }
        Assert.Equal(20, q.QueueLength);
        List<Packet> out_ = _rig.DrainNow(q);
        Assert.Equal(20, out_.Count);
        foreach (var group in out_.GroupBy(p => p.Meta.Cb[0])) Assert.Equal(2, group.Count());
        NetemRig.FreeAll(out_);
    }

    [Fact]
    public void A_duplicate_enters_at_the_root_so_the_parent_sees_two_packets()
    {
        var parent = new SingleClassParentQdisc(new QdiscContext(_rig.Device, 0x0001_0000, 0xFFFF_FFFF));
        NetemQdisc netem = _rig.Netem("duplicate 100%", handle: 0x0010_0000, parent: 0x0001_0001);
        parent.Leaf = netem;
        Assert.Equal(EnqueueResult.Success, parent.Enqueue(_rig.Packet(), _rig.Now));
        Assert.Equal(2, parent.EnqueueCalls);
        Assert.Equal(2, parent.QueueLength);
        parent.AssertInvariants();
        netem.AssertInvariants();
        NetemRig.FreeAll(_rig.DrainNow(parent));
    }

    [Fact]
    public void The_limit_is_checked_before_the_duplicate_goes_in_and_a_full_queue_drops_both()
    {
        NetemQdisc q = _rig.Netem("limit 3 delay 1s duplicate 100%");
        q.Enqueue(_rig.Packet(), _rig.Now); // duplicate and original: 2 queued
        // 2 < 3 lets this one in; its duplicate enters first and fills the queue, the original follows anyway.
        q.Enqueue(_rig.Packet(), _rig.Now);
        Assert.Equal(4, q.QueueLength);
        Assert.Equal(EnqueueResult.Drop, q.Enqueue(_rig.Packet(), _rig.Now));
        Assert.Equal(4, q.QueueLength);
        // qdisc_drop_all() counts the original; the clone is freed uncounted.
        Assert.Equal(1u, q.Stats.Drops);
        Assert.Equal(_rig.Pool.Count - 4, _rig.Pool.Available);
        q.Reset();
    }

    [Fact]
    public void Limit_counts_only_the_time_queue()
    {
        NetemQdisc q = _rig.Netem("limit 5 delay 10ms");
        for (int i = 0; i < 5; i++) Assert.Equal(EnqueueResult.Success, q.Enqueue(_rig.Packet(), _rig.Now));
        Assert.Equal(EnqueueResult.Drop, q.Enqueue(_rig.Packet(), _rig.Now));
        Assert.Equal(1u, q.Stats.Drops);
        Assert.Equal(5, q.QueueLength);
        q.Reset();
        Assert.Equal(_rig.Pool.Count, _rig.Pool.Available);
    }

    [Fact]
    public void Corrupt_flips_exactly_one_bit_of_the_frame()
    {
        NetemQdisc q = _rig.Netem("corrupt 100%");
        for (int i = 0; i < 50; i++)
        {
            Packet p = _rig.Packet(200, srcPort: (ushort)(1000 + i));
            byte[] before = p.Data.ToArray();
            q.Enqueue(p, _rig.Now);
            Packet outP = Assert.Single(_rig.DrainNow(q));
            int bits = 0;
            for (int b = 0; b < before.Length; b++) bits += System.Numerics.BitOperations.PopCount((uint)(before[b] ^ outP.Data[b]));
            Assert.Equal(1, bits);
            outP.Free();
        }
    }

    [Fact]
    public void Reorder_with_gap_3_sends_every_third_packet_at_once()
    {
        NetemQdisc q = _rig.Netem("delay 10ms reorder 100% gap 3");
        var immediate = new List<int>();
        for (int i = 1; i <= 9; i++)
        {
            Packet p = _rig.Packet();
            p.Meta.Cb[0] = (uint)i;
            q.Enqueue(p, _rig.Now);
            foreach (Packet o in _rig.DrainNow(q))
            {
                immediate.Add((int)o.Meta.Cb[0]);
                o.Free();
            }
        }
        Assert.Equal([3, 6, 9], immediate);
        Assert.Equal(3u, q.Stats.Requeues);
        NetemRig.FreeAll(_rig.DrainAll(q).Select(x => x.Packet));
    }

    [Fact]
    public void A_reordered_packet_overtakes_the_delayed_ones()
    {
        NetemQdisc q = _rig.Netem("delay 10ms reorder 100% gap 2");
        Packet first = _rig.Packet(), second = _rig.Packet();
        q.Enqueue(first, _rig.Now);
        q.Enqueue(second, _rig.Now);
        Assert.Same(second, q.Dequeue(_rig.Now));
        Assert.Null(q.Dequeue(_rig.Now));
        _rig.Clock.AdvanceNs(10 * Ms);
        Assert.Same(first, q.Dequeue(_rig.Now));
        first.Free();
        second.Free();
    }

    [Fact]
    public void Rate_serialises_packets_back_to_back()
    {
        // 1000 bytes at 1 Mbit/s take 8 ms each.
        NetemQdisc q = _rig.Netem("rate 1mbit");
        TimeNs start = _rig.Now;
        for (int i = 0; i < 5; i++) q.Enqueue(_rig.Packet(1000), start);
        var out_ = _rig.DrainAll(q);
        for (int i = 0; i < 5; i++) Assert.Equal(start + (i + 1) * 8 * Ms, out_[i].At);
        NetemRig.FreeAll(out_.Select(x => x.Packet));
    }

    [Fact]
    public void Rate_counts_packet_overhead_and_whole_cells_with_their_overhead()
    {
        // 1000 + 20 = 1020 bytes = 11 cells of 100 (rounded up), each carrying 100 + 5: 1155 bytes = 9.24 ms.
        NetemQdisc q = _rig.Netem("rate 1mbit 20 100 5");
        TimeNs start = _rig.Now;
        q.Enqueue(_rig.Packet(1000), start);
        var out_ = _rig.DrainAll(q);
        Assert.Equal(start + 9_240_000, Assert.Single(out_).At);
        NetemRig.FreeAll(out_.Select(x => x.Packet));
        Assert.Equal(1_000_000UL * 8 / 8, NetemQdisc.PacketTimeNs(125, 125_000, 0, 0, 0));
        Assert.Equal(2_000_000UL, NetemQdisc.PacketTimeNs(240, 125_000, 10, 50, 0));
        Assert.Equal(3_200_000UL, NetemQdisc.PacketTimeNs(390, 125_000, 10, 50, 0)); // 400 = 8 whole cells
    }

    [Fact]
    public void Rate_after_a_delay_counts_from_the_last_queued_packet()
    {
        NetemQdisc q = _rig.Netem("delay 10ms rate 1mbit");
        TimeNs start = _rig.Now;
        q.Enqueue(_rig.Packet(1000), start); // 10 + 8 ms
        q.Enqueue(_rig.Packet(1000), start); // the 10 ms overlap the wait for the first: 18 + 8 ms
        var out_ = _rig.DrainAll(q);
        Assert.Equal(start + 18 * Ms, out_[0].At);
        Assert.Equal(start + 26 * Ms, out_[1].At);
        NetemRig.FreeAll(out_.Select(x => x.Packet));
    }

    [Fact]
    public void Slots_release_at_most_the_packet_allowance_per_slot()
    {
        NetemQdisc q = _rig.Netem("slot 10ms packets 2");
        TimeNs start = _rig.Now;
        for (int i = 0; i < 6; i++) q.Enqueue(_rig.Packet(), start);
        var out_ = _rig.DrainAll(q);
        Assert.Equal(6, out_.Count);
        // The first packet waits for a fresh slot, then each slot carries two packets.
        long[] expected = [10, 10, 20, 20, 30, 30];
        for (int i = 0; i < 6; i++) Assert.Equal(start + expected[i] * Ms, out_[i].At);
        NetemRig.FreeAll(out_.Select(x => x.Packet));
    }

    [Fact]
    public void Slot_byte_allowance_ends_a_slot_early()
    {
        NetemQdisc q = _rig.Netem("slot 5ms bytes 1500");
        TimeNs start = _rig.Now;
        for (int i = 0; i < 4; i++) q.Enqueue(_rig.Packet(1000), start);
        var out_ = _rig.DrainAll(q);
        // 1000 bytes leave 500 of the allowance, the next packet takes it below zero: two per slot.
        long[] expected = [5, 5, 10, 10];
        for (int i = 0; i < 4; i++) Assert.Equal(start + expected[i] * Ms, out_[i].At);
        NetemRig.FreeAll(out_.Select(x => x.Packet));
    }

    [Fact]
    public void Uniform_slot_gaps_stay_between_min_and_max()
    {
        NetemQdisc q = _rig.Netem("slot 2ms 4ms packets 1");
        TimeNs start = _rig.Now;
        for (int i = 0; i < 100; i++) q.Enqueue(_rig.Packet(), start);
        var out_ = _rig.DrainAll(q);
        TimeNs previous = start;
        foreach ((Packet _, TimeNs at) in out_)
        {
            Assert.InRange(at - previous, 2 * Ms, 4 * Ms);
            previous = at;
        }
        NetemRig.FreeAll(out_.Select(x => x.Packet));
    }

    [Fact]
    public void Same_seed_makes_the_same_decisions_and_another_seed_does_not()
    {
        static string Pattern(NetemRig rig, ulong seed)
        {
            NetemQdisc q = rig.Netem("loss 30% delay 10ms 5ms duplicate 5% reorder 10% corrupt 5%", seed);
            var sb = new System.Text.StringBuilder();
            TimeNs start = rig.Now;
            for (int i = 0; i < 300; i++)
            {
                Packet p = rig.Packet(100, srcPort: (ushort)i);
                EnqueueResult r = q.Enqueue(p, rig.Now);
                sb.Append(r == EnqueueResult.Success ? 'q' : 'x');
            }
            foreach ((Packet p, TimeNs at) in rig.DrainAll(q))
            {
                sb.Append(at - start).Append(Convert.ToHexString(p.Data)).Append(';');
                p.Free();
            }
            return sb.ToString();
        }
        Assert.Equal(Pattern(_rig, 42), Pattern(_rig, 42));
        Assert.NotEqual(Pattern(_rig, 42), Pattern(_rig, 43));
    }

    [Fact]
    public void A_child_qdisc_receives_packets_when_they_are_due()
    {
        NetemQdisc q = _rig.Netem("delay 10ms");
        Assert.Empty(q.WalkClasses());
        Qdisc child = new PfifoKind().Create(new FifoSpec(2), new QdiscContext(_rig.Device, 0x0010_0000, 0x0001_0001));
        QdiscClass cl = q.FindClass(0x0001_0007)!;
        Assert.Equal(0x0001_0001u, cl.ClassId);
        q.Graft(cl, child);
        Assert.Same(child, Assert.Single(q.WalkClasses()).Leaf);

        for (int i = 0; i < 5; i++) q.Enqueue(_rig.Packet(), _rig.Now);
        Assert.Equal(5, q.QueueLength);
        _rig.Clock.AdvanceNs(10 * Ms);
        // All five are due; the pfifo child takes two and drops three, which netem counts and gives back.
        List<Packet> out_ = _rig.DrainNow(q);
        Assert.Equal(2, out_.Count);
        Assert.Equal(3u, q.Stats.Drops);
        Assert.Equal(3u, child.Stats.Drops);
        Assert.Equal(0, q.QueueLength);
        Assert.Equal(0u, q.BacklogBytes);
        NetemRig.FreeAll(out_);
    }

    [Fact]
    public void Grafting_null_detaches_the_child_and_its_packets_are_dropped()
    {
        NetemQdisc q = _rig.Netem("delay 0ms");
        Qdisc child = new PfifoKind().Create(new FifoSpec(100), new QdiscContext(_rig.Device, 0x0010_0000, 0x0001_0001));
        Qdisc previous = q.Graft(q.FindClass(0x0001_0001)!, child);
        Assert.Equal("noqueue", previous.Kind);
        q.Enqueue(_rig.Packet(), _rig.Now);
        // Peek moves the due packet into the child and holds it.
        Assert.NotNull(q.Peek(_rig.Now));
        q.Enqueue(_rig.Packet(), _rig.Now);
        q.AssertInvariants();
        Qdisc old = q.Graft(q.FindClass(0x0001_0001)!, null);
        Assert.Same(child, old);
        Assert.Empty(q.WalkClasses());
        q.AssertInvariants();
        q.Reset();
        Assert.Equal(_rig.Pool.Count, _rig.Pool.Available);
    }

    [Fact]
    public void A_duplicating_netem_cannot_join_a_tree_with_another_netem()
    {
        NetemQdisc root = _rig.Netem("delay 10ms");
        _rig.Device.Root = root;
        var e = Assert.Throws<TcException>(() => _rig.Netem("duplicate 5%", handle: 0x0010_0000, parent: 0x0001_0001));
        Assert.Equal("Error: netem: cannot mix duplicating netems with other netems in tree.", e.Message);

        NetemQdisc child = _rig.Netem("delay 5ms", handle: 0x0010_0000, parent: 0x0001_0001);
        root.Graft(root.FindClass(0x0001_0001)!, child);
        Assert.Throws<TcException>(() => root.Change(NetemRig.Spec("duplicate 1%")));
        Assert.Throws<TcException>(() => child.Change(NetemRig.Spec("delay 5ms duplicate 1%")));
        // Unlike the kernel, which applies the delay before the check fails, a refused change changes nothing.
        Assert.Equal(10 * Ms, root.LatencyNs);
        root.Change(NetemRig.Spec("duplicate 0% delay 20ms"));
        Assert.Equal(20 * Ms, root.LatencyNs);
    }

    [Fact]
    public void Replacing_a_duplicating_root_netem_with_a_new_netem_that_duplicates_is_refused()
    {
        _rig.Device.Root = _rig.Netem("duplicate 10%");
        Assert.Throws<TcException>(() => _rig.Netem("duplicate 20%", handle: 0x0002_0000));
        _rig.Device.Root.Change(NetemRig.Spec("duplicate 20%"));
    }

    [Fact]
    public void Reset_frees_the_time_queue_the_reorder_queue_and_the_child()
    {
        NetemQdisc q = _rig.Netem("delay 10ms reorder 50%");
        Qdisc child = new PfifoKind().Create(new FifoSpec(100), new QdiscContext(_rig.Device, 0x0010_0000, 0x0001_0001));
        q.Graft(q.FindClass(1)!, child);
        for (int i = 0; i < 40; i++) q.Enqueue(_rig.Packet(), _rig.Now);
        q.Reset();
        q.AssertInvariants();
        Assert.Equal(0, q.QueueLength);
        Assert.Equal(0, child.QueueLength);
        Assert.Equal(_rig.Pool.Count, _rig.Pool.Available);
    }

    [Fact]
    public void A_refused_create_without_options_is_the_kernels_einval()
    {
        var e = Assert.Throws<TcException>(() =>
            new NetemKind().Create(null, new QdiscContext(_rig.Device, 0x0001_0000, 0xFFFF_FFFF)));
        Assert.Equal("RTNETLINK answers: Invalid argument", e.Message);
    }

    [Fact]
    public void A_configured_seed_is_dumped_and_printed_after_corrupt_as_iproute2_6_7_prints_it()
    {
        NetemQdisc q = _rig.Netem("delay 10ms corrupt 1% rate 1mbit", seed: 12345);
        var dumped = (NetemSpec)q.Dump();
        Assert.Equal(12345UL, dumped.Seed);
        var w = new Sched.Fast.Tc.Output.TcWriter();
        new NetemKind().PrintOptions(w, dumped);
        Assert.Equal("limit 1000 delay 10ms corrupt 1% seed 12345 rate 1Mbit", w.ToString());
        Assert.Null(((NetemSpec)_rig.Netem("delay 10ms", seed: null).Dump()).Seed);
    }

    [Fact]
    public void Seed_is_parsed_as_iproute2_6_7_parses_it()
    {
        Assert.Equal(18446744073709551615UL, NetemRig.Spec("seed -1", seed: null).Seed);
        Assert.Equal(7UL, NetemRig.Spec("seed 7", seed: null).Seed);
        Assert.Equal("Illegal \"seed\"", Assert.Throws<TcException>(() => NetemRig.Spec("seed 0x10", seed: null)).Message);
    }

    [Fact]
    public void A_percentage_rate_is_a_share_of_the_device_speed()
    {
        var device = new Sched.Fast.Devices.NetDevice("e0", 3) { SpeedMbit = 1000 };
        var spec = (NetemSpec)new NetemKind().ParseOptions(TcArgs.Parse("rate 10%"), new TcParseContext(device))!;
        Assert.Equal(12_500_000u, spec.Rate!.Rate);
        var e = Assert.Throws<TcException>(() => new NetemKind().ParseOptions(TcArgs.Parse("rate 10%"), TcParseContext.None));
        Assert.Equal("No device specified; specify device to rate limit by percentage\nIllegal \"rate\"", e.Message);
    }

    [Fact]
    public void Peek_returns_what_dequeue_returns_and_keeps_the_counters()
    {
        NetemQdisc q = _rig.Netem("delay 1ms 1ms");
        for (int i = 0; i < 20; i++) q.Enqueue(_rig.Packet(), _rig.Now);
        _rig.Clock.AdvanceNs(5 * Ms);
        while (q.QueueLength > 0)
        {
            Packet? peeked = q.Peek(_rig.Now);
            q.AssertInvariants();
            Assert.Equal(peeked, q.Dequeue(_rig.Now));
            q.AssertInvariants();
            peeked?.Free();
        }
        Assert.Equal(20UL, q.Stats.Packets);
    }
}
