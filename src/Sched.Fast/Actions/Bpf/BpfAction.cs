using Bpf.Native.Programs;
using Bpf.Native.Programs.Classic;
using Sched.Fast.Classifiers;
using Sched.Fast.Classifiers.Bpf;
using Sched.Fast.Devices;
using Sched.Fast.Packets;

namespace Sched.Fast.Actions.Bpf;

/// <summary>
/// net/sched/act_bpf.c tcf_bpf_act(): counts the packet, runs the program, and returns its verdict when it is PIPE,
/// RECLASSIFY, OK, REDIRECT or SHOT (SHOT counting a drop), the configured default action for UNSPEC (-1), and
/// UNSPEC for anything else.
/// </summary>
public sealed class BpfAction : TcAction
{
    private readonly DeviceTable? _devices;

    public BpfAction(uint index, DeviceTable? devices) : base(index) => _devices = devices;

    public override string Kind => "bpf";

    public LoadedProgram? Program { get; private set; }

    public IReadOnlyList<ClassicInstruction>? Opcodes { get; private set; }

    public string? Name { get; private set; }

    internal void SetProgram(LoadedProgram program, IReadOnlyList<ClassicInstruction>? opcodes, string? name)
    {
        Program = program;
        Opcodes = opcodes;
        Name = name;
    }

    public override int Act(Packet packet, ref ClassifyResult result)
    {
        TouchLastUse(packet);
        CountPacket(packet);
        LoadedProgram? program = Program;
        if (program is null) return TcAct.Unspec;
        int filterResult = (int)PacketBpfHost.Current.Run(program.Program, packet, _devices);
        switch (filterResult)
        {
            case TcAct.Pipe:
            case TcAct.Reclassify:
            case TcAct.Ok:
            case TcAct.Redirect:
                return filterResult;
            case TcAct.Shot:
                Stats.Drops++;
                return filterResult;
            case TcAct.Unspec:
                return Control;
            default:
                return TcAct.Unspec;
        }
    }

    public override ActionSpec DumpOptions() => new BpfActionSpec
    {
        Index = Index,
        Control = Control,
        Opcodes = Opcodes,
        Program = Opcodes is null ? Program : null,
        Name = Name,
    };
}
