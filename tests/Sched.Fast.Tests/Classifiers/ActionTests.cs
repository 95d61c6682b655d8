using Sched.Fast.Actions;
using Sched.Fast.Actions.Gact;
using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Tests.Classifiers.Support;

namespace Sched.Fast.Tests.Classifiers;

/// <summary>gact and mirred on packets (net/sched/act_gact.c, act_mirred.c) and the action table's reference rules.</summary>
public sealed class ActionTests : IDisposable
{
    private readonly PacketPool _pool = new(64);
    private readonly TcHarness _tc = new();

    public void Dispose() => _pool.Dispose();

    private void Tc(string line)
    {
        TcResult r = _tc.Run(line);
        Assert.True(r.ExitCode == 0, $"tc {line}: {r.Stderr}");
    }

    private Packet Packet() => FrameBuilder.Load(_pool,
        FrameBuilder.Ipv4(FrameBuilder.Ip("198.18.0.1"), FrameBuilder.Ip("198.18.0.2")));

    private int Act(TcAction a)
    {
        Packet p = Packet();
        var r = new ClassifyResult();
        int verdict = a.Act(p, ref r);
        p.Free();
        return verdict;
    }

    [Fact]
    public void Gact_determ_returns_the_fallback_on_every_nth_packet()
    {
        Tc("actions add action gact pass random determ drop 3 index 1");
        TcAction g = _tc.Namespace.Actions.For("gact").Find(1)!;

        int[] verdicts = Enumerable.Range(0, 9).Select(_ => Act(g)).ToArray();

        Assert.Equal([0, 0, 2, 0, 0, 2, 0, 0, 2], verdicts);
        Assert.Equal(9UL, g.Stats.Packets);
        Assert.Equal(3u, g.Stats.Drops);
    }

    [Fact]
    public void Gact_netrand_takes_the_fallback_with_probability_one_in_val()
    {
        Tc("actions add action gact pass random netrand drop 4 index 1");
        TcAction g = _tc.Namespace.Actions.For("gact").Find(1)!;

        int drops = Enumerable.Range(0, 4000).Count(_ => Act(g) == TcAct.Shot);

        // 1000 expected; a binomial(4000, 1/4) is within 900..1100 with overwhelming probability.
        Assert.InRange(drops, 900, 1100);
    }

    [Fact]
    public void Gact_goto_chain_needs_a_filter()
    {
        TcResult r = _tc.Run("actions add action gact goto chain 5");
        Assert.Equal(255, r.ExitCode);
        Assert.Equal("Error: can't goto NULL proto/chain.\nWe have an error talking to the kernel\n", r.Stderr);
        Assert.Empty(_tc.Namespace.Actions.For("gact").Actions);
    }

    private sealed class RecordingRedirector : IPacketRedirector
    {
        public readonly List<(string Dev, bool Ingress, Packet Packet)> Sent = [];
        public bool Accept = true;

        public bool ToEgress(NetDevice device, Packet packet)
        {
            Sent.Add((device.Name, false, packet));
            return Accept;
        }

        public bool ToIngress(NetDevice device, Packet packet)
        {
            Sent.Add((device.Name, true, packet));
            return Accept;
        }
    }

    [Fact]
    public void Mirred_redirect_sends_a_copy_and_steals_the_original()
    {
        var redirector = new RecordingRedirector();
        _tc.Devices.Redirector = redirector;
        Tc("actions add action mirred egress redirect dev t1 index 1");
        TcAction m = _tc.Namespace.Actions.For("mirred").Find(1)!;
        Packet p = Packet();
        var r = new ClassifyResult();

        int verdict = m.Act(p, ref r);

        Assert.Equal(TcAct.Stolen, verdict);
        var (dev, ingress, copy) = Assert.Single(redirector.Sent);
        Assert.Equal(("t1", false), (dev, ingress));
        Assert.NotSame(p, copy);
        Assert.True(p.Data.SequenceEqual(copy.Data));
        Assert.Equal((6, 7), (copy.Meta.IfIndex, copy.Meta.IngressIfIndex));
        copy.Free();
        p.Free();
        Assert.Equal(1UL, m.Stats.Packets);
    }

    [Fact]
    public void Mirred_mirror_to_ingress_pipes_and_counts_refused_copies_as_overlimits()
    {
        var redirector = new RecordingRedirector { Accept = false };
        _tc.Devices.Redirector = redirector;
        Tc("actions add action mirred ingress mirror dev d0 index 1");
        TcAction m = _tc.Namespace.Actions.For("mirred").Find(1)!;

        Assert.Equal(TcAct.Pipe, Act(m));
        Assert.True(redirector.Sent.Single().Ingress);
        Assert.Equal(1u, m.Stats.Overlimits);
        redirector.Sent[0].Packet.Free();
    }

    [Fact]
    public void Mirred_redirect_without_a_path_to_the_device_shoots_the_packet()
    {
        Tc("actions add action mirred egress redirect dev t1 index 1");
        Tc("actions add action mirred egress mirror dev t1 index 2");
        ActionTable t = _tc.Namespace.Actions.For("mirred");

        Assert.Equal(TcAct.Shot, Act(t.Find(1)!));
        Assert.Equal(TcAct.Pipe, Act(t.Find(2)!));
        Assert.Equal(_pool.Count, _pool.Available);
    }

    [Fact]
    public void Mirred_nesting_is_limited_to_four_levels()
    {
        var looping = new LoopingRedirector();
        _tc.Devices.Redirector = looping;
        Tc("actions add action mirred egress mirror dev t1 index 1");
        looping.Action = _tc.Namespace.Actions.For("mirred").Find(1)!;

        Assert.Equal(TcAct.Pipe, Act(looping.Action));
        Assert.Equal(4, looping.Calls);
        Assert.Equal(_pool.Count, _pool.Available);
    }

    /// <summary>A device whose input runs the same mirror again (a loop that only the nest limit stops).</summary>
    private sealed class LoopingRedirector : IPacketRedirector
    {
        public TcAction? Action;
        public int Calls;

        public bool ToEgress(NetDevice device, Packet packet)
        {
            Calls++;
            var r = new ClassifyResult();
            Action!.Act(packet, ref r);
            packet.Free();
            return true;
        }

        public bool ToIngress(NetDevice device, Packet packet) => ToEgress(device, packet);
    }

    [Fact]
    public void Shared_actions_count_references_and_binds_and_survive_their_filters()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("actions add action gact drop index 7");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall action gact index 7");
        Tc("filter add dev t0 parent 1: protocol ip prio 2 matchall action gact index 7");
        TcAction g = _tc.Namespace.Actions.For("gact").Find(7)!;
        Assert.Equal((3, 2), (g.RefCount, g.BindCount));

        Assert.Equal(255, _tc.Run("actions delete action gact index 7").ExitCode);
        Tc("filter del dev t0 parent 1: prio 1");
        Tc("filter del dev t0 parent 1: prio 2");
        Assert.Equal((1, 0), (g.RefCount, g.BindCount));

        Tc("actions delete action gact index 7");
        Assert.Null(_tc.Namespace.Actions.For("gact").Find(7));
    }

    [Fact]
    public void Actions_a_filter_creates_go_with_the_filter()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall action drop action pass");
        Assert.Equal(2, _tc.Namespace.Actions.For("gact").Count);

        Tc("filter del dev t0 parent 1: prio 1");
        Assert.Equal(0, _tc.Namespace.Actions.For("gact").Count);
    }

    [Fact]
    public void A_failed_filter_leaves_no_actions_behind()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        TcResult r = _tc.Run("filter add dev t0 parent 1: protocol ip prio 1 u32 match u32 0 0 link 5: action drop action pass");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(0, _tc.Namespace.Actions.For("gact").Count);
        Assert.Empty(_tc.Qdisc("t0", 0x10000).Filters.Chains);
    }

    [Fact]
    public void New_indexes_are_the_lowest_free_ones()
    {
        Tc("actions add action gact drop index 2");
        Tc("actions add action gact drop");
        Tc("actions add action gact drop");
        Tc("actions add action gact drop");

        Assert.Equal([1u, 2, 3, 4], _tc.Namespace.Actions.For("gact").Actions.Select(a => a.Index));
    }

    [Fact]
    public void Replace_changes_the_verdict_of_a_bound_action()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("actions add action gact drop index 3");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall action gact index 3");
        Tc("actions replace action gact pass index 3");

        Packet p = Packet();
        var r = new ClassifyResult();
        Assert.Equal(TcAct.Ok, _tc.Qdisc("t0", 0x10000).Filters.Classify(p, ref r));
        p.Free();
        Assert.IsType<GactAction>(_tc.Namespace.Actions.For("gact").Find(3));
        Assert.Equal((2, 1), (_tc.Namespace.Actions.For("gact").Find(3)!.RefCount, _tc.Namespace.Actions.For("gact").Find(3)!.BindCount));
    }
}
