using Bpf.Native.Helpers;
using Bpf.Native.Maps;
using Bpf.Native.Programs;

namespace Bpf.Native.Verifier;

/// <summary>
/// How to verify a program. With a <see cref="ProgramType"/> the kernel-style verifier applies that type's rules
/// (context, helpers, packet access); without one only the structural gate runs (the conformance suite's raw
/// programs, which have no program type).
/// </summary>
public sealed record VerifierOptions
{
    /// <summary>The program type whose rules apply; null for structural verification only.</summary>
    public ProgramType? ProgramType { get; init; }

    /// <summary>The helpers the program may call: implementations and prototypes by Linux id.</summary>
    public HelperTable Helpers { get; init; } = HelperTable.Empty;

    /// <summary>
    /// The maps the program's lddw references may name. A BPF_PSEUDO_MAP_FD reference holds a map's
    /// <see cref="BpfMap.Handle"/> and is found from it; a BPF_PSEUDO_MAP_VALUE reference holds an address inside a
    /// map's value and is found among these maps.
    /// </summary>
    public IReadOnlyList<BpfMap> Maps { get; init; } = [];

    /// <summary>The object's license is GPL-compatible (gpl_only helpers such as bpf_trace_printk need it).</summary>
    public bool GplCompatible { get; init; } = true;

    /// <summary>
    /// The kernel's log level. 0: no log (a rejected program is verified again at level 1 for its log, as libbpf
    /// does). 1: the failing path, instruction by instruction with the registers each changed (an accepted program
    /// leaves only the statistics line, like the kernel). 2: every path explored, with the state at each branch
    /// taken up again ("from 7 to 9:"), the functions, the live registers and the stack depths.
    /// </summary>
    public int LogLevel { get; init; }
}
