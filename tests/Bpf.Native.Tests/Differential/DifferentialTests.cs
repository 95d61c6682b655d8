using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Loader;
using Bpf.Native.Semantics;
using Bpf.Native.Tests.Support;
using Bpf.Native.Verifier;
using CsCheck;

namespace Bpf.Native.Tests.Differential;

/// <summary>
/// Interpreter and JIT on the same random valid programs: the same r0, the same stack and the same memory after the
/// run (the engines share the semantics table, so a difference is a bug in one engine's plumbing).
/// </summary>
public sealed unsafe class DifferentialTests
{
    internal static readonly HelperTable s_helpers = new HelperTable().Register(ProgramGen.MixHelper, "mix",
        new HelperPrototype(HelperReturnKind.Integer, HelperArgumentKind.Anything, HelperArgumentKind.Anything,
            HelperArgumentKind.Anything, HelperArgumentKind.Anything, HelperArgumentKind.Anything),
        typeof(TestHelpers).GetMethod(nameof(TestHelpers.MixesArguments))!);

    internal static (ulong R0, byte[] Memory, byte[] Stack) Run(VerifiedProgram verified, EngineKind engine, GeneratedProgram generated) =>
        Run(ProgramLoader.Load(verified, engine), generated);

    internal static (ulong R0, byte[] Memory, byte[] Stack) Run(BpfProgram program, GeneratedProgram generated)
    {
        byte[] memory = (byte[])generated.Memory.Clone();
        byte[] stack = (byte[])generated.Stack.Clone();
        fixed (byte* data = memory)
        fixed (byte* stackBytes = stack)
        {
            var run = new BpfRunContext
            {
                Context = data,
                ContextLength = (ulong)memory.Length,
                PacketData = data,
                PacketLength = (uint)memory.Length,
                StackTop = stackBytes + CallConvention.MaxStackBytes,
            };
            ulong r0 = program.Run(ref run);
            return (r0, memory, stack);
        }
    }

    private static void EnginesAgree(GeneratedProgram generated)
    {
        var verified = StructuralVerifier.Verify(generated.Code, s_helpers);
        var interpreter = Run(verified, EngineKind.Interpreter, generated);
        var jit = Run(verified, EngineKind.Jit, generated);

        Assert.Equal(interpreter.R0, jit.R0);
        Assert.Equal(interpreter.Memory, jit.Memory);
        Assert.Equal(interpreter.Stack, jit.Stack);
    }

    [Fact]
    public void Engines_agree_on_random_programs() =>
        ProgramGen.Program.Sample(EnginesAgree, iter: 2_000);

    [Fact]
    public void Engines_agree_on_random_programs_with_local_calls() =>
        ProgramGen.ProgramWithCalls.Sample(EnginesAgree, iter: 1_000);

    [Fact]
    public void Generated_programs_do_something()
    {
        // Guards the generator: most programs must change memory or stack and return varied r0 values.
        var results = new HashSet<ulong>();
        ProgramGen.Program.Sample(generated =>
        {
            var verified = StructuralVerifier.Verify(generated.Code, s_helpers);
            lock (results)
            {
                results.Add(Run(verified, EngineKind.Interpreter, generated).R0);
            }
        }, iter: 200);

        Assert.True(results.Count > 50, $"only {results.Count} distinct results");
    }
}
