using Bpf.Native.Programs;
using Bpf.Native.Programs.Classic;
using Sched.Fast.Actions;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// The bpf filter's options (TCA_BPF_*) as f_bpf.c sends them and cls_bpf.c dumps them: the classid, the
/// direct-action flag, the offload flags, and either the classic opcodes or the eBPF program (what TCA_BPF_FD
/// refers to, with its TCA_BPF_NAME annotation; dumped with its id and tag), and the actions.
/// </summary>
public sealed record BpfSpec : FilterSpec
{
    /// <summary>TCA_BPF_FLAG_ACT_DIRECT.</summary>
    public const uint FlagDirectAction = 1;

    /// <summary>TCA_BPF_CLASSID, or null.</summary>
    public uint? ClassId { get; init; }

    /// <summary>TCA_BPF_FLAGS (direct-action), or null when absent.</summary>
    public uint? Flags { get; init; }

    /// <summary>TCA_BPF_FLAGS_GEN (skip_hw, skip_sw; not_in_hw when dumped), or null when absent.</summary>
    public uint? GenFlags { get; init; }

    /// <summary>TCA_BPF_OPS: a classic program, or null.</summary>
    public IReadOnlyList<ClassicInstruction>? Opcodes { get; init; }

    /// <summary>The eBPF program (TCA_BPF_FD's program; its id and tag are TCA_BPF_ID, TCA_BPF_TAG), or null.</summary>
    public LoadedProgram? Program { get; init; }

    /// <summary>TCA_BPF_NAME: "cls.o:[classify]".</summary>
    public string? Name { get; init; }

    /// <summary>TCA_BPF_ACT, or null.</summary>
    public IReadOnlyList<ActionItem>? Actions { get; init; }

    public bool DirectAction => ((Flags ?? 0) & FlagDirectAction) != 0;
}
