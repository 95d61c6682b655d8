using Bpf.Native.Isa;
using Bpf.Native.Semantics;
using Bpf.Native.Verifier;

namespace Bpf.Native.Tests.Verifier;

/// <summary>The frame estimate the gate uses to lay out program-local calls.</summary>
public sealed class StackDepthEstimatorTests
{
    private static long Depth(string assembly)
    {
        var code = Assembler.Assemble(assembly);
        var program = StructuralVerifier.Verify(code, Helpers.HelperTable.Empty);
        var targets = Enumerable.Range(0, code.Length).Select(program.TargetOf).ToArray();
        return StackDepthEstimator.Estimate(code, targets, 0, program.Subprograms[0].End);
    }

    [Theory]
    [InlineData("exit", 0)]
    [InlineData("stb [%r10-1], 0\nexit", 1)]
    [InlineData("ldxdw %r0, [%r10-64]\nexit", 64)]
    [InlineData("mov %r1, %r10\nadd %r1, -100\nexit", 100)]   // a pointer made is a frame used
    [InlineData("mov %r1, %r10\nsub %r1, 24\nstw [%r1-8], 0\nexit", 32)]
    [InlineData("mov %r1, %r10\nadd %r1, -8\nmov %r2, %r1\nstb [%r2-4], 0\nexit", 12)]
    [InlineData("mov %r1, %r10\nadd %r1, -8\nlock add [%r1-8], %r2\nexit", 16)]
    public void Depth_follows_pointers_with_known_offsets(string assembly, long expected) =>
        Assert.Equal(expected, Depth(assembly));

    [Fact]
    public void Pointers_are_followed_across_branches_and_loops() =>
        Assert.Equal(48, Depth("mov %r6, %r10\nadd %r6, -40\nmov %r7, 4\nloop:\nstdw [%r6-8], 0\nadd %r7, -1\njne %r7, 0, loop\nexit"));

    [Theory]
    [InlineData("mov %r1, %r10\nadd %r1, %r2\nstb [%r1+0], 0\nexit")]       // variable offset
    [InlineData("mov %r1, %r10\nstxdw [%r10-8], %r1\nexit")]                // spilled stack pointer
    [InlineData("jeq %r2, 0, +3\nmov %r1, %r10\nadd %r1, -16\nja +1\nmov %r1, %r10\nstb [%r1+0], 0\nexit")] // two offsets merge
    public void Unknown_offsets_count_as_the_whole_stack(string assembly) =>
        Assert.Equal(CallConvention.MaxStackBytes, Depth(assembly));
}
