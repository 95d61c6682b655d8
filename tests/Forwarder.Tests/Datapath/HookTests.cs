using Forwarder.Tests.Support;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Forwarder.Tests.Datapath;

/// <summary>
/// What the kernel runs around the egress root (net/core/dev.c __dev_queue_xmit(): sch_handle_egress() before the
/// root, qdisc_calculate_pkt_len() at the root) and at ingress (sch_handle_ingress()), configured with tc.
/// </summary>
public sealed class HookTests
{
    [Fact]
    public void Clsact_egress_drop_happens_before_the_root_and_is_counted_on_clsact()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 clsact");
        t.Tc("filter add dev b0 egress matchall action drop");
        for (int i = 0; i < 3; i++) t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);

        Assert.Empty(LoopbackBridge.Drain(t.Bridge.OutsideB));
        Qdisc clsact = t.Bridge.B.Device.Ingress!;
        Assert.Equal(3UL, clsact.Stats.Packets);
        Assert.Equal(300UL, clsact.Stats.Bytes); // qdisc_pkt_len() at egress: the whole frame
        Assert.Equal(3u, clsact.Stats.Drops);
        Assert.Equal(0UL, t.Bridge.B.Device.Root!.Stats.Packets);
        Assert.Equal(t.Bridge.Pool.Count, t.Bridge.Pool.Available);
    }

    [Fact]
    public void Clsact_egress_ok_stores_the_class_minor_in_tc_index_and_goes_on_to_the_root()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 root handle 1: pfifo");
        t.Tc("qdisc add dev b0 clsact");
        t.Tc("filter add dev b0 egress matchall classid 1:2a action ok");
        ushort seen = 0;
        t.Bridge.B.Device.Root = new ObservingQdisc(t.Bridge.B.Device, p => seen = p.Meta.TcIndex);
        t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Single(LoopbackBridge.Drain(t.Bridge.OutsideB));
        Assert.Equal(0x2a, seen);
    }

    [Fact]
    public void Clsact_egress_stolen_and_trap_consume_the_packet()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 clsact");
        t.Tc("filter add dev b0 egress prio 1 matchall action trap");
        t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Empty(LoopbackBridge.Drain(t.Bridge.OutsideB));
        Assert.Equal(0u, t.Bridge.B.Device.Ingress!.Stats.Drops);
        Assert.Equal(t.Bridge.Pool.Count, t.Bridge.Pool.Available);
    }

    [Fact]
    public void Clsact_egress_redirect_by_mirred_sends_a_copy_out_of_the_other_port_and_consumes_the_original()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 clsact");
        t.Tc("filter add dev b0 egress matchall action mirred egress redirect dev a0");
        t.Bridge.A.InjectRx(Frames.Udp(120));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Empty(LoopbackBridge.Drain(t.Bridge.OutsideB));
        Assert.Single(LoopbackBridge.Drain(t.Bridge.OutsideA));
        Assert.Equal(t.Bridge.Pool.Count, t.Bridge.Pool.Available);
    }

    /// <summary>
    /// TC_ACT_REDIRECT at egress comes from a direct-action program; sch_handle_egress() hands the packet to
    /// skb_do_redirect(), which drops it when bpf_redirect() named no device (a classic program cannot call it).
    /// Either way the hook owns the packet: nothing reaches the root, nothing leaks.
    /// </summary>
    [Fact]
    public void Clsact_egress_bpf_redirect_goes_through_skb_do_redirect_and_never_to_the_root()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 clsact");
        Sched.Fast.Tc.Commands.TcRunResult r = t.Engine.Run(["filter", "add", "dev", "b0", "egress", "bpf", "da", "bytecode", "1,6 0 0 7"]);
        Assert.True(r.ExitCode == 0, r.Output.Combined);
        t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Empty(LoopbackBridge.Drain(t.Bridge.OutsideB));
        Assert.Empty(LoopbackBridge.Drain(t.Bridge.OutsideA));
        Assert.Equal(0UL, t.Bridge.B.Device.Root!.Stats.Packets);
        Assert.Equal(t.Bridge.Pool.Count, t.Bridge.Pool.Available);
    }

    [Fact]
    public void A_hook_without_filters_in_chain_0_is_not_run_and_counts_nothing()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 clsact");
        t.Tc("qdisc add dev a0 clsact");
        t.Tc("filter add dev b0 egress chain 1 matchall action drop");
        t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Single(LoopbackBridge.Drain(t.Bridge.OutsideB));
        Assert.Equal(0UL, t.Bridge.B.Device.Ingress!.Stats.Packets);
        Assert.Equal(0UL, t.Bridge.A.Device.Ingress!.Stats.Packets);
    }

    [Fact]
    public void Ingress_counts_the_frame_without_its_mac_header_as_linux_does()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev a0 ingress");
        t.Tc("filter add dev a0 parent ffff: matchall action ok");
        for (int i = 0; i < 7; i++) t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Equal(7, LoopbackBridge.Drain(t.Bridge.OutsideB).Count);
        Assert.Equal(7UL, t.Bridge.A.Device.Ingress!.Stats.Packets);
        Assert.Equal(7UL * 86, t.Bridge.A.Device.Ingress!.Stats.Bytes);
    }

    [Fact]
    public void A_shared_ingress_block_runs_on_every_device_that_names_it()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev a0 ingress_block 22 ingress");
        t.Tc("qdisc add dev b0 ingress_block 22 clsact");
        t.Tc("filter add block 22 matchall action drop");
        t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Bridge.B.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Empty(LoopbackBridge.Drain(t.Bridge.OutsideB));
        Assert.Empty(LoopbackBridge.Drain(t.Bridge.OutsideA));
        Assert.Equal(1u, t.Bridge.A.Device.Ingress!.Stats.Drops);
        Assert.Equal(1u, t.Bridge.B.Device.Ingress!.Stats.Drops);
    }

    [Fact]
    public void A_shared_egress_block_runs_before_the_root()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 egress_block 7 clsact");
        t.Tc("filter add block 7 matchall action drop");
        t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Empty(LoopbackBridge.Drain(t.Bridge.OutsideB));
        Assert.Equal(1u, t.Bridge.B.Device.Ingress!.Stats.Drops);
    }

    [Fact]
    public void The_root_size_table_sets_the_length_the_qdiscs_account()
    {
        using var t = new TcBridge();
        // 100-byte frames + 24 bytes overhead; ATM cells: 124 bytes = 3 cells = 159 bytes.
        t.Tc("qdisc add dev b0 root handle 1: stab overhead 24 linklayer atm pfifo");
        for (int i = 0; i < 2; i++) t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Equal(2, LoopbackBridge.Drain(t.Bridge.OutsideB).Count);
        Assert.Equal(2UL * 159, t.Bridge.B.Device.Root!.Stats.Bytes);
        // The other direction has no table: frame lengths.
        t.Bridge.B.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Equal(100UL, t.Bridge.A.Device.Root!.Stats.Bytes);
    }

    [Fact]
    public void A_size_table_changed_or_removed_by_a_command_applies_to_the_next_packet()
    {
        using var t = new TcBridge();
        t.Tc("qdisc add dev b0 root handle 1: stab overhead 10 pfifo");
        t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        t.Tc("qdisc change dev b0 root handle 1: stab overhead 50 pfifo");
        t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        t.Tc("qdisc change dev b0 root handle 1: pfifo");
        t.Bridge.A.InjectRx(Frames.Udp(100));
        t.Datapath.PollOnce(t.Clock.Now);
        Assert.Equal(110UL + 150 + 100, t.Bridge.B.Device.Root!.Stats.Bytes);
    }

    /// <summary>A pfifo that shows each packet it is handed to the test.</summary>
    private sealed class ObservingQdisc(Sched.Fast.Devices.NetDevice device, Action<Packet> seen) : Qdisc(new QdiscContext(device, 0x10000, TcHandle.Root))
    {
        private PacketQueue _queue;

        public override string Kind => "observe";

        public override EnqueueResult Enqueue(Packet packet, TimeNs now)
        {
            seen(packet);
            _queue.EnqueueTail(packet);
            CountQueued(packet);
            return EnqueueResult.Success;
        }

        protected override Packet? DequeueCore(TimeNs now)
        {
            Packet? p = _queue.DequeueHead();
            if (p is not null) CountDequeued(p);
            return p;
        }

        protected override void ResetCore() => _queue.Purge();

        public override QdiscSpec Dump() => throw new NotSupportedException();
    }
}
