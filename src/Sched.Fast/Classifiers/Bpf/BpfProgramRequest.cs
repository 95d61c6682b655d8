using Bpf.Native.Programs.Classic;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// What bpf_do_parse() read (struct bpf_cfg_in): the mode, the object file and section, or the classic opcodes.
/// </summary>
public sealed record BpfProgramRequest
{
    public required BpfProgramMode Mode { get; init; }

    /// <summary>The object (or pinned) file as written.</summary>
    public string? Object { get; init; }

    /// <summary>The section (tc's default: "classifier" for filters, "action" for actions).</summary>
    public string? Section { get; init; }

    /// <summary>"program NAME": select the program by name instead of section.</summary>
    public string? ProgramName { get; init; }

    public bool Verbose { get; init; }

    /// <summary>The classic opcodes (bytecode modes).</summary>
    public IReadOnlyList<ClassicInstruction>? Opcodes { get; init; }
}
