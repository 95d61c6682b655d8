using Bpf.Native.Execution;
using Bpf.Native.Programs.Classic;
using Sched.Fast.Actions;
using Sched.Fast.Actions.Gact;
using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Support;

namespace Sched.Fast.Tests.Classifiers.Bpf;

/// <summary>net/sched/cls_bpf.c semantics: classic and direct-action modes, several programs, classic bytecode.</summary>
public sealed class BpfClassifierTests : IDisposable
{
    private readonly PacketPool _pool = new(8);
    private readonly FilterNamespace _ns = new(new DeviceTable());

    public void Dispose() => _pool.Dispose();

    private BpfClassifier NewClassifier()
    {
        var tp = new BpfClassifier(1, EtherTypes.All) { Namespace = _ns };
        return tp;
    }

    private static BpfSpec Object(string obj, string section, uint? classId = null, bool da = false) => new()
    {
        Program = BpfFixtures.Load(obj, section),
        Name = $"{obj}.o:[{section}]",
        ClassId = classId,
        Flags = da ? BpfSpec.FlagDirectAction : null,
    };

    [Fact]
    public void The_seed_classifier_gives_class_800_tos()
    {
        BpfClassifier tp = NewClassifier();
        tp.Change(new FilterChange { Options = Object("cls", "classify") });
        Packet p = TestFrames.Packet(_pool, 64, tos: 0x2c);
        ClassifyResult result = default;
        Assert.Equal(TcAct.Ok, tp.Classify(p, ref result));
        Assert.Equal(0x0800002Cu, result.ClassId);
        p.Free();
    }

    [Fact]
    public void Classic_mode_zero_is_no_match_minus_one_the_filter_classid_and_other_values_the_class()
    {
        BpfClassifier tp = NewClassifier();
        tp.Change(new FilterChange { Options = Object("classify", "classic_mark", classId: 0x10005) });
        Packet p = TestFrames.Packet(_pool, 64);
        ClassifyResult result = default;

        p.Mark = 0;
        Assert.Equal(TcAct.Unspec, tp.Classify(p, ref result));

        p.Mark = uint.MaxValue;
        Assert.Equal(TcAct.Ok, tp.Classify(p, ref result));
        Assert.Equal(0x10005u, result.ClassId);

        p.Mark = 0x20007;
        Assert.Equal(TcAct.Ok, tp.Classify(p, ref result));
        Assert.Equal(0x20007u, result.ClassId);
        p.Free();
    }

    [Fact]
    public void Direct_action_takes_the_verdict_from_the_program_and_the_minor_from_tc_classid()
    {
        BpfClassifier tp = NewClassifier();
        tp.Change(new FilterChange { Options = Object("classify", "da_classid", classId: 0x10000, da: true) });
        Packet p = TestFrames.Packet(_pool, 64);
        ClassifyResult result = default;

        p.Mark = (uint)TcAct.Shot << 16 | 0x33;
        Assert.Equal(TcAct.Shot, tp.Classify(p, ref result));
        Assert.Equal(0x10033u, result.ClassId);

        // Verdicts outside cls_bpf_exec_opcode()'s list are "unspec": the next filter decides.
        p.Mark = (uint)TcAct.Pipe << 16 | 0x44;
        Assert.Equal(TcAct.Unspec, tp.Classify(p, ref result));

        p.Mark = (uint)TcAct.Redirect << 16 | 1;
        Assert.Equal(TcAct.Redirect, tp.Classify(p, ref result));
        p.Free();
    }

    [Fact]
    public void Direct_action_starts_the_program_with_the_filter_classid_minor_in_tc_classid()
    {
        BpfClassifier tp = NewClassifier();
        tp.Change(new FilterChange { Options = Object("fields", "r_tc_classid", classId: 0x70009, da: true) });
        Packet p = TestFrames.Packet(_pool, 64);
        ClassifyResult result = default;
        // r_tc_classid returns what it finds in tc_classid (9); 9 is no verdict cls_bpf passes on, so unspec.
        Assert.Equal(TcAct.Unspec, tp.Classify(p, ref result));
        Assert.Equal(9u, p.Meta.TcClassId);
        p.Free();
    }

    [Fact]
    public void Programs_run_newest_first_until_one_matches()
    {
        BpfClassifier tp = NewClassifier();
        tp.Change(new FilterChange { Options = Object("classify", "classic_mark") });
        tp.Change(new FilterChange { Options = Object("cls", "classify") });
        Assert.Equal([2u, 1u], tp.Walk().Select(f => f.Handle).ToArray());
        Packet p = TestFrames.Packet(_pool, 64, tos: 4);
        p.Mark = 0x30003;
        ClassifyResult result = default;
        Assert.Equal(TcAct.Ok, tp.Classify(p, ref result));
        Assert.Equal(0x08000004u, result.ClassId);
        p.Free();
    }

    [Fact]
    public void Classic_mode_runs_the_filter_actions_on_a_match()
    {
        BpfClassifier tp = NewClassifier();
        var drop = new ActionItem("gact", new GactSpec { Control = TcAct.Shot });
        tp.Change(new FilterChange { Options = Object("cls", "classify") with { Actions = [drop] } });
        Packet p = TestFrames.Packet(_pool, 64);
        ClassifyResult result = default;
        Assert.Equal(TcAct.Shot, tp.Classify(p, ref result));
        p.Free();
    }

    [Fact]
    public void Classic_bytecode_from_tcpdump_matches_udp_port_2000()
    {
        // tcpdump -ddd 'udp dst port 2000' (the format tc's bytecode-file reads).
        BpfFixtures.Shell("tcpdump -ddd 'udp dst port 2000' > port.bpf", BpfFixtures.Directory);
        IReadOnlyList<ClassicInstruction> ops = BpfProgramArgs.ParseOpcodes(Path.Combine(BpfFixtures.Directory, "port.bpf"), fromFile: true);
        BpfClassifier tp = NewClassifier();
        tp.Change(new FilterChange { Options = new BpfSpec { Opcodes = ops, ClassId = 0x10002 } });
        ClassifyResult result = default;

        Packet hit = TestFrames.Packet(_pool, 64, dstPort: 2000);
        Assert.Equal(TcAct.Ok, tp.Classify(hit, ref result));
        Assert.Equal(262144u, result.ClassId); // tcpdump's "ret #262144": the snap length is the class
        Packet miss = TestFrames.Packet(_pool, 64, dstPort: 2001);
        Assert.Equal(TcAct.Unspec, tp.Classify(miss, ref result));
        hit.Free();
        miss.Free();
    }

    [Fact]
    public void A_classic_program_the_kernel_refuses_is_einval()
    {
        BpfClassifier tp = NewClassifier();
        var spec = new BpfSpec { Opcodes = [new ClassicInstruction(0x06, 0, 0, 0), new ClassicInstruction(0x15, 5, 0, 0)] };
        TcException e = Assert.Throws<TcException>(() => tp.Change(new FilterChange { Options = spec }));
        Assert.Equal("RTNETLINK answers: Invalid argument", e.Message);
    }

    [Fact]
    public void Neither_or_both_program_forms_are_einval_as_in_cls_bpf_change()
    {
        BpfClassifier tp = NewClassifier();
        Assert.Throws<TcException>(() => tp.Change(new FilterChange { Options = new BpfSpec() }));
        var both = Object("cls", "classify") with { Opcodes = [new ClassicInstruction(0x06, 0, 0, 0)] };
        Assert.Throws<TcException>(() => tp.Change(new FilterChange { Options = both }));
    }

    [Theory]
    [MemberData(nameof(BpfFixtures.Engines), MemberType = typeof(BpfFixtures))]
    public void The_parser_reads_ports_through_vlan_tags_on_both_engines(EngineKind engine)
    {
        var program = BpfFixtures.Load("parser", "classifier", engine);
        byte[] udp = TestFrames.Udp(64, dstPort: 4242);
        Packet plain = PacketRun.Packet(_pool, udp);
        Assert.Equal(17 << 16 | 4242, PacketRun.Run(program, plain));
        byte[] tagged = [.. udp[..12], 0x81, 0x00, 0x00, 0x05, .. udp[12..]];
        Packet vlan = PacketRun.Packet(_pool, tagged);
        Assert.Equal(17 << 16 | 4242, PacketRun.Run(program, vlan));
        Packet truncated = PacketRun.Packet(_pool, udp[..40]);
        Assert.Equal(0, PacketRun.Run(program, truncated));
        plain.Free();
        vlan.Free();
        truncated.Free();
    }
}
