using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Interpreter;
using Bpf.Native.Isa;
using Bpf.Native.Jit;
using Bpf.Native.Verifier;

namespace Bpf.Native.Loader;

/// <summary>
/// Raw instructions to a runnable program: decode (<see cref="Decoder"/>), verify (today
/// <see cref="StructuralVerifier"/>), then prepare for the chosen engine. The ELF loader of the next layer resolves
/// maps and relocations into the instruction bytes and then comes through here.
/// </summary>
public static class ProgramLoader
{
    /// <summary>Decodes and verifies <paramref name="bytecode"/> (8-byte little-endian slots).</summary>
    /// <exception cref="InstructionFormatException">The bytes do not decode.</exception>
    /// <exception cref="VerifierException">The program is rejected.</exception>
    public static VerifiedProgram Verify(ReadOnlySpan<byte> bytecode, HelperTable helpers) =>
        StructuralVerifier.Verify(Decoder.Decode(bytecode), helpers);

    /// <summary>Decodes, verifies and prepares <paramref name="bytecode"/> for an engine.</summary>
    /// <exception cref="InstructionFormatException">The bytes do not decode.</exception>
    /// <exception cref="VerifierException">The program is rejected.</exception>
    public static BpfProgram Load(ReadOnlySpan<byte> bytecode, LoadOptions? options = null)
    {
        options ??= new LoadOptions();
        return Load(Verify(bytecode, options.Helpers), options.Engine);
    }

    /// <summary>Prepares a verified program for <paramref name="engine"/>.</summary>
    public static BpfProgram Load(VerifiedProgram program, EngineKind engine) => engine switch
    {
        EngineKind.Interpreter => BpfInterpreter.Load(program),
        EngineKind.Jit => JitCompiler.Compile(program),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown engine."),
    };
}
