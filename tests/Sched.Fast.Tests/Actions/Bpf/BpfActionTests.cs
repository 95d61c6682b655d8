using Bpf.Native.Programs.Classic;
using Sched.Fast.Actions;
using Sched.Fast.Actions.Bpf;
using Sched.Fast.Classifiers;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;
using Sched.Fast.Tests.Classifiers.Bpf;
using Sched.Fast.Tests.Support;

namespace Sched.Fast.Tests.Actions.Bpf;

/// <summary>net/sched/act_bpf.c: verdicts, the default action, counters; tc/m_bpf.c parsing and printing.</summary>
public sealed class BpfActionTests : IDisposable
{
    private readonly PacketPool _pool = new(4);
    private readonly FilterNamespace _ns = new(new DeviceTable());

    public void Dispose() => _pool.Dispose();

    private TcAction Create(string words)
    {
        var args = TcArgs.Parse(words);
        ActionSpec spec = new BpfActionKind().Parse(args, _ns.Devices);
        return ActionInit.Init(_ns, null, [new ActionItem("bpf", spec)], bind: false, replace: false, 0, out _)[0];
    }

    [Theory]
    [InlineData(0u, TcAct.Ok)]
    [InlineData(2u, TcAct.Shot)]
    [InlineData(3u, TcAct.Pipe)]
    [InlineData(1u, TcAct.Reclassify)]
    [InlineData(7u, TcAct.Redirect)]
    [InlineData(4u, TcAct.Unspec)]   // STOLEN is not an act_bpf verdict
    [InlineData(0xffffffffu, TcAct.Pipe)] // TC_ACT_UNSPEC: the default action (pipe)
    public void The_program_verdict_or_the_default_action(uint mark, int verdict)
    {
        TcAction action = Create($"bpf obj {BpfFixtures.Object("classify")} sec classic_mark");
        Packet p = TestFrames.Packet(_pool, 64);
        p.Mark = mark;
        ClassifyResult result = default;
        Assert.Equal(verdict, action.Act(p, ref result));
        Assert.Equal(1UL, action.Stats.Packets);
        Assert.Equal(verdict == TcAct.Shot ? 1u : 0u, action.Stats.Drops);
        p.Free();
    }

    [Fact]
    public void A_classic_action_with_a_verdict_and_index_prints_as_tc_does()
    {
        TcAction action = Create("bpf bytecode '1,6 0 0 4294967295' drop index 5");
        Assert.Equal(5u, action.Index);
        var w = new TcWriter(new TcPrintOptions());
        new BpfActionKind().Print(w, action.DumpOptions() with { RefCount = 1 }, _ns.Devices);
        Assert.Equal("bpf bytecode '1,6 0 0 4294967295' default-action drop\n\t index 5 ref 1 bind 0\n ", w.ToString());
        Packet p = TestFrames.Packet(_pool, 64);
        ClassifyResult result = default;
        Assert.Equal(TcAct.Shot, action.Act(p, ref result)); // -1: the default action
        p.Free();
    }

    /// <summary>tcf_bpf_init_from_ops(): bpf_prog_create() refuses a classic program that jumps past its end.</summary>
    [Fact]
    public void A_classic_program_the_kernel_refuses_is_einval()
    {
        TcException e = Assert.Throws<TcException>(() => Create("bpf bytecode '2,6 0 0 0,21 5 0 0' index 9"));
        Assert.Equal("RTNETLINK answers: Invalid argument", e.Message);
        Assert.Equal(9u, Create("bpf bytecode '1,6 0 0 0' index 9").Index); // the refused action left nothing behind
    }

    [Fact]
    public void An_object_action_prints_its_program()
    {
        TcAction action = Create($"bpf obj {BpfFixtures.Object("cls")} sec classify");
        var w = new TcWriter(new TcPrintOptions());
        new BpfActionKind().Print(w, action.DumpOptions() with { RefCount = 1 }, _ns.Devices);
        Assert.Matches(@"^bpf cls\.o:\[classify\] id \d+ name cls_main tag 6bb4e9a61a2e732b jited default-action pipe\n\t index 1 ref 1 bind 0\n $", w.ToString());
    }

    [Fact]
    public void The_default_section_of_an_action_is_action()
    {
        TcException e = Assert.Throws<TcException>(() => Create($"bpf obj {BpfFixtures.Object("cls")}"));
        Assert.Equal("object file doesn't contain sec action", e.Message);
    }
}
