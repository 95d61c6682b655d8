namespace Bpf.Native.Jit;

/// <summary>
/// When the JIT splits a function into chunks. RyuJIT stops optimizing a method past about 20,000 IL instructions
/// (DEFAULT_MIN_OPTS_INSTR_COUNT, or 2,000 basic blocks, 8,000 local references): it then compiles in MinOpts,
/// keeping every register in memory and inlining nothing. Functions longer than
/// <see cref="SingleMethodInstructionLimit"/> eBPF instructions are therefore compiled as chunks of
/// <see cref="ChunkInstructions"/> instructions, each one method small enough to be optimized, run by a dispatcher.
/// </summary>
internal sealed record JitOptions
{
    public static JitOptions Default { get; } = new();

    /// <summary>Functions up to this many instructions compile to one method.</summary>
    public int SingleMethodInstructionLimit { get; init; } = 2048;

    /// <summary>Instructions per chunk of a longer function (a power of two).</summary>
    public int ChunkInstructions { get; init; } = 1024;
}
