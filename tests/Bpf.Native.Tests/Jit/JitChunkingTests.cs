using Bpf.Native.Execution;
using Bpf.Native.Isa;
using Bpf.Native.Jit;
using Bpf.Native.Loader;
using Bpf.Native.Tests.Conformance;
using Bpf.Native.Tests.Differential;
using Bpf.Native.Verifier;
using CsCheck;

namespace Bpf.Native.Tests.Jit;

/// <summary>
/// Long functions are compiled as chunks run by a dispatcher. With chunks of four instructions every jump, loop,
/// call and exit crosses chunk boundaries, so the whole suite and the differential programs exercise the chunk
/// plumbing.
/// </summary>
public sealed class JitChunkingTests
{
    private static readonly JitOptions s_tinyChunks = new() { SingleMethodInstructionLimit = 4, ChunkInstructions = 4 };

    public static TheoryData<string> SuiteTests()
    {
        var data = new TheoryData<string>();
        foreach (string name in ConformanceSuite.TestNames)
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SuiteTests))]
    public void Suite_passes_with_tiny_chunks(string name)
    {
        var test = ConformanceSuite.Load(name);
        var verified = ProgramLoader.Verify(test.Bytecode(), Bpf.Native.Conformance.ConformancePlugin.SuiteHelpers());

        ulong r0 = JitCompiler.Compile(verified, s_tinyChunks).Run((byte[])test.Memory.Clone());

        Assert.Equal(test.ExpectedResult, r0);
    }

    [Fact]
    public void Chunked_programs_agree_with_the_interpreter() =>
        ProgramGen.Program.Sample(generated =>
        {
            var verified = StructuralVerifier.Verify(generated.Code, DifferentialTests.s_helpers);
            var interpreter = DifferentialTests.Run(verified, EngineKind.Interpreter, generated);
            var chunked = DifferentialTests.Run(JitCompiler.Compile(verified, s_tinyChunks), generated);
            Assert.Equal(interpreter, chunked, new RunComparer());
        }, iter: 500);

    [Fact]
    public void Chunked_programs_with_local_calls_agree_with_the_interpreter() =>
        ProgramGen.ProgramWithCalls.Sample(generated =>
        {
            var verified = StructuralVerifier.Verify(generated.Code, DifferentialTests.s_helpers);
            var interpreter = DifferentialTests.Run(verified, EngineKind.Interpreter, generated);
            var chunked = DifferentialTests.Run(JitCompiler.Compile(verified, s_tinyChunks), generated);
            Assert.Equal(interpreter, chunked, new RunComparer());
        }, iter: 300);

    [Fact]
    public void A_long_function_is_split_into_chunks_by_default()
    {
        var text = new System.Text.StringBuilder("mov %r0, 0\nmov %r1, 1\n");
        for (int i = 0; i < 2500; i++)
        {
            text.AppendLine(i % 2 == 0 ? "add %r0, %r1" : "mul %r1, 3");
        }
        text.AppendLine("exit");
        var verified = ProgramLoader.Verify(Assembler.AssembleToBytes(text.ToString()), Helpers.HelperTable.Empty);

        var jit = JitCompiler.Compile(verified);

        Assert.Equal(4, ((JitProgram)jit).MethodCount); // the dispatcher and three chunks
        Assert.Equal(ProgramLoader.Load(verified, EngineKind.Interpreter).Run([]), jit.Run([]));
    }

    private sealed class RunComparer : IEqualityComparer<(ulong R0, byte[] Memory, byte[] Stack)>
    {
        public bool Equals((ulong R0, byte[] Memory, byte[] Stack) x, (ulong R0, byte[] Memory, byte[] Stack) y) =>
            x.R0 == y.R0 && x.Memory.SequenceEqual(y.Memory) && x.Stack.SequenceEqual(y.Stack);

        public int GetHashCode((ulong R0, byte[] Memory, byte[] Stack) obj) => obj.R0.GetHashCode();
    }
}
