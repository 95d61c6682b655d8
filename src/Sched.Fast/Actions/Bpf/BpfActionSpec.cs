using Bpf.Native.Programs;
using Bpf.Native.Programs.Classic;

namespace Sched.Fast.Actions.Bpf;

/// <summary>
/// The bpf action's options (TCA_ACT_BPF_*): struct tc_act_bpf (index, default action, counts), and the classic
/// opcodes or the eBPF program with its annotation; dumped with the program's id and tag.
/// </summary>
public sealed record BpfActionSpec : ActionSpec
{
    public IReadOnlyList<ClassicInstruction>? Opcodes { get; init; }

    public LoadedProgram? Program { get; init; }

    /// <summary>TCA_ACT_BPF_NAME.</summary>
    public string? Name { get; init; }
}
