using Bpf.Native.Helpers;
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
}
