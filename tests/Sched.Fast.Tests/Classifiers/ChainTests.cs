using Sched.Fast.Actions;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Tests.Classifiers.Support;

namespace Sched.Fast.Tests.Classifiers;

/// <summary>Chains, priorities and the control verdicts of tcf_classify() (net/sched/cls_api.c).</summary>
public sealed class ChainTests : IDisposable
{
    private readonly PacketPool _pool = new(16);
    private readonly TcHarness _tc = new();

    public void Dispose() => _pool.Dispose();

    private void Tc(string line)
    {
        TcResult r = _tc.Run(line);
        Assert.True(r.ExitCode == 0, $"tc {line}: {r.Stderr}");
    }

    private (int Verdict, uint ClassId) Classify(uint mark = 0)
    {
        Packet p = FrameBuilder.Load(_pool, FrameBuilder.Ipv4(FrameBuilder.Ip("198.18.0.1"), FrameBuilder.Ip("198.18.0.2")), mark);
        var result = new ClassifyResult();
        int verdict = _tc.Qdisc("t0", 0x10000).Filters.Classify(p, ref result);
        p.Free();
        return (verdict, result.ClassId);
    }

    private IEnumerable<uint> Prefs(uint chain = 0) =>
        _tc.Qdisc("t0", 0x10000).Filters.FindChain(chain)!.Classifiers.Select(c => c.Prio);

    [Fact]
    public void Priorities_are_picked_from_49152_downwards_below_the_lowest_automatic_one()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip matchall classid 1:1");
        Tc("filter add dev t0 parent 1: protocol ip prio 100 u32 match u32 0 0");
        Tc("filter add dev t0 parent 1: protocol ip u32 match u32 0 0");
        Tc("filter add dev t0 parent 1: protocol ip basic classid 1:2");

        Assert.Equal([100u, 49150, 49151, 49152], Prefs());
        // Options are required: the kernel refuses, and the classifier it made for the request goes again.
        Assert.Equal(2, _tc.Run("filter add dev t0 parent 1: protocol ip basic").ExitCode);
        Assert.Equal([100u, 49150, 49151, 49152], Prefs());
    }

    [Fact]
    public void The_first_classifier_in_priority_order_that_gives_a_verdict_decides()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 20 matchall classid 1:20");
        Tc("filter add dev t0 parent 1: protocol ip prio 10 u32 match mark 1 1 flowid 1:10");

        Assert.Equal((TcAct.Ok, 0x10010u), Classify(mark: 1));
        Assert.Equal((TcAct.Ok, 0x10020u), Classify(mark: 0));
    }

    [Fact]
    public void Goto_chain_continues_in_the_target_chain()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall action goto chain 5");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 chain 5 matchall classid 1:5");

        Assert.Equal((TcAct.Ok, 0x10005u), Classify());
    }

    [Fact]
    public void Goto_a_chain_without_filters_ends_without_a_match()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall action goto chain 5");
        Tc("filter add dev t0 parent 1: protocol ip prio 2 matchall classid 1:2");

        Assert.Equal(TcAct.Unspec, Classify().Verdict);
    }

    [Fact]
    public void Reclassify_loops_are_shot_after_sixteen_restarts()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall action reclassify");

        Assert.Equal(TcAct.Shot, Classify().Verdict);
        // 1 pass + 16 restarts.
        Assert.Contains("Sent 1020 bytes 17 pkt", _tc.Run("-s filter show dev t0").Stdout);
    }

    [Fact]
    public void Jump_skips_actions_and_pipe_continues()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall classid 1:1 action jump 2 action drop action pipe action pass");

        Assert.Equal((TcAct.Ok, 0x10001u), Classify());
        // "jump 2" is absolute from the start of the list: the walk restarts, skips the first two (the jump and
        // the drop) and runs the pipe and the pass.
        ActionTable gact = _tc.Namespace.Actions.For("gact");
        Assert.Equal([1UL, 0, 1, 1], new uint[] { 1, 2, 3, 4 }.Select(i => gact.Find(i)!.Stats.Packets));
    }

    [Fact]
    public void Continue_falls_through_to_the_next_classifier()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall classid 1:1 action continue");
        Tc("filter add dev t0 parent 1: protocol ip prio 2 matchall classid 1:2");

        Assert.Equal((TcAct.Ok, 0x10002u), Classify());
    }

    [Fact]
    public void A_chain_referenced_only_by_an_action_is_hidden_and_goes_with_the_action()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall action goto chain 9");
        FilterBlock block = _tc.Qdisc("t0", 0x10000).Filters;
        Assert.True(block.FindChain(9)!.IsHeldByActionsOnly);
        Assert.Equal("chain parent 1: chain 0 \n", _tc.Run("chain show dev t0").Stdout);

        Tc("filter del dev t0 parent 1: prio 1");
        Assert.Null(block.FindChain(9));
        Assert.Null(block.FindChain(0));
    }

    [Fact]
    public void Chains_are_listed_in_creation_order()
    {
        Tc("qdisc add dev t0 root handle 1: htb");
        Tc("chain add dev t0 chain 7");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 chain 2 matchall classid 1:1");
        Tc("filter add dev t0 parent 1: protocol ip prio 1 matchall classid 1:1");

        Assert.Equal("chain parent 1: chain 7 \nchain parent 1: chain 2 \nchain parent 1: chain 0 \n",
            _tc.Run("chain show dev t0").Stdout);
    }
}
