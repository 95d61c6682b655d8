using Bpf.Native.Execution;
using Bpf.Native.Isa;
using Bpf.Native.Maps;

namespace Bpf.Native.Programs;

/// <summary>
/// A tc program ready to run (the kernel's struct bpf_prog as tc and bpftool show it): the engine's program with
/// its context accesses rewritten for the host, the id and tag tc prints, its name, and what it keeps alive (its
/// maps, the programs its tail-call arrays hold). Disposing releases the maps the object created (pinned maps stay).
/// </summary>
public sealed partial class LoadedProgram : IDisposable
{
    private readonly List<LoadedProgram> _tailCallTargets = [];

    internal LoadedProgram(
        BpfProgram program,
        string name,
        string typeName,
        byte[]? tag,
        int id,
        IReadOnlyList<Instruction> original,
        IReadOnlyList<Instruction> translated,
        MapCollection? maps,
        string license)
    {
        Program = program;
        Name = name;
        TypeName = typeName;
        Tag = tag;
        Id = id;
        Original = original;
        Translated = translated;
        Maps = maps;
        License = license;
        LoadTimeNs = Helpers.Tc.TimeHelpers.BootNs();
        CreatedByUid = OperatingSystem.IsLinux() ? GetEffectiveUserId() : 0;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    /// <summary>The runnable program (r1 = the host's context structure).</summary>
    public BpfProgram Program { get; }

    /// <summary>The program's name as the kernel keeps it (the function's name, at most 15 characters); "" for classic.</summary>
    public string Name { get; }

    /// <summary>The kernel's program type name: "sched_cls" or "sched_act".</summary>
    public string TypeName { get; }

    /// <summary>The kernel's 8-byte tag (see <see cref="ProgramTag"/>), null for classic programs.</summary>
    public byte[]? Tag { get; }

    /// <summary>The tag as tc prints it, "" when there is none.</summary>
    public string TagHex => Tag is null ? "" : ProgramTag.Format(Tag);

    /// <summary>The program id (0 for classic programs, which the kernel does not number).</summary>
    public int Id { get; }

    public EngineKind Engine => Program.Engine;

    /// <summary>tc prints "jited" when the JIT runs the program.</summary>
    public bool Jited => Program.Engine == EngineKind.Jit;

    /// <summary>The instructions as loaded (bpftool's "xlated" before rewriting; after classic conversion).</summary>
    public IReadOnlyList<Instruction> Original { get; }

    /// <summary>The instructions the engine runs, with context accesses rewritten.</summary>
    public IReadOnlyList<Instruction> Translated { get; }

    /// <summary>The object's maps, or null (classic programs have none).</summary>
    public MapCollection? Maps { get; }

    public string License { get; }

    /// <summary>The verifier's log when it was asked for one (<see cref="TcLoadOptions.VerifierLogLevel"/>), else null.</summary>
    public string? VerifierLog { get; init; }

    /// <summary>CLOCK_BOOTTIME at load, in ns (bpf_prog_info.load_time).</summary>
    public ulong LoadTimeNs { get; }

    /// <summary>The user that loaded the program (bpf_prog_info.created_by_uid).</summary>
    public uint CreatedByUid { get; }

    /// <summary>Programs loaded with this one into its prog arrays (kept alive with it).</summary>
    public IReadOnlyList<LoadedProgram> TailCallTargets => _tailCallTargets;

    internal void AddTailCallTarget(LoadedProgram target) => _tailCallTargets.Add(target);

    public void Dispose() => Maps?.Dispose();

    public override string ToString() => Id != 0 ? $"{TypeName} id {Id} name {Name} tag {TagHex}" : $"{TypeName} classic";
}
