using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Tests.Support;
using Bpf.Native.Verifier;

namespace Bpf.Native.Tests.Verifier;

/// <summary>The structural gate: what it rejects, with the kernel verifier's wording, and what it lays out.</summary>
public sealed class StructuralVerifierTests
{
    private static readonly HelperTable s_helpers = new HelperTable().Register(1, "one",
        new HelperPrototype(HelperReturnKind.Integer, HelperArgumentKind.Anything),
        typeof(TestHelpers).GetMethod(nameof(TestHelpers.ReturnsFirstArgument))!);

    private static VerifiedProgram Verify(string assembly) => StructuralVerifier.Verify(Assembler.Assemble(assembly), s_helpers);

    private static VerifierException Rejects(string assembly) =>
        Assert.Throws<VerifierException>(() => Verify(assembly));

    [Fact]
    public void A_minimal_program_passes() => Assert.Single(Verify("mov %r0, 0\nexit").Subprograms);

    [Fact]
    public void Jumps_out_of_the_program_are_rejected()
    {
        var error = Rejects("mov %r0, 0\nja +1\nexit");

        Assert.Equal(1, error.InstructionIndex);
        Assert.Equal("1: jump out of range from insn 1 to 3", error.Message);
        Assert.StartsWith("jump out of range", Rejects("ja -2\nexit").Reason);
    }

    [Fact]
    public void Jumps_into_the_middle_of_lddw_are_rejected() =>
        Assert.Equal("jump into the middle of ldimm64 insn 1", Rejects("ja +1\nlddw %r0, 1\nexit").Reason);

    [Fact]
    public void Jump_targets_are_instruction_indexes_after_lddw_fusion()
    {
        var program = Verify("jeq %r1, 0, +3\nlddw %r0, 1\nmov %r0, 2\nexit");

        Assert.Equal(3, program.TargetOf(0));
        Assert.Equal(-1, program.TargetOf(1));
    }

    [Fact]
    public void Falling_off_the_end_is_rejected()
    {
        Assert.Equal("last insn is not an exit or jmp", Rejects("mov %r0, 0").Reason);
        Assert.Equal("last insn is not an exit or jmp", Rejects("mov %r0, 0\njeq %r0, 0, -2").Reason);
    }

    [Fact]
    public void Unknown_helpers_are_rejected() =>
        Assert.Equal("invalid func unknown#7", Rejects("call 7\nexit").Reason);

    [Fact]
    public void Unresolved_map_references_are_rejected()
    {
        var instructions = new[]
        {
            new Instruction(Operation.LoadImm64, 1, Immediate: 3, ImmediateKind: LoadImmediateKind.MapFd),
            Instruction.ExitProgram(),
        };

        var error = Assert.Throws<VerifierException>(() => StructuralVerifier.Verify(instructions, s_helpers));
        Assert.Contains("unresolved lddw reference", error.Reason);
    }

    [Fact]
    public void Kernel_function_calls_are_rejected() =>
        Assert.Throws<VerifierException>(() => StructuralVerifier.Verify(
            [new Instruction(Operation.CallKfunc, Immediate: 5), Instruction.ExitProgram()], s_helpers));

    [Theory]
    [InlineData("mov %r10, 0")]
    [InlineData("add %r10, 8")]
    [InlineData("ldxdw %r10, [%r1]")]
    [InlineData("lddw %r10, 5")]
    [InlineData("lock fetch add [%r1], %r10")]
    public void The_frame_pointer_is_read_only(string write) =>
        Assert.Equal("frame pointer is read only", Rejects($"{write}\nexit").Reason);

    [Fact]
    public void Stack_accesses_beyond_512_bytes_are_rejected() =>
        Assert.Contains("exceeds 512 bytes", Rejects("stb [%r10-513], 1\nexit").Reason);

    [Fact]
    public void Jumps_between_functions_are_rejected() =>
        Assert.StartsWith("jump out of range", Rejects("call local fn\nja +1\nexit\nfn:\nmov %r0, 1\nexit").Reason);

    [Fact]
    public void Functions_are_found_from_local_calls()
    {
        var program = Verify("call local f\ncall local g\nexit\nf:\nexit\ng:\nmov %r0, 1\nexit");

        Assert.Equal([(0, 3), (3, 4), (4, 6)], program.Subprograms.Select(s => (s.Start, s.End)));
    }

    [Fact]
    public void Recursion_is_rejected()
    {
        Assert.StartsWith("recursive call", Rejects("call local f\nexit\nf:\ncall local f\nexit").Reason);
        Assert.StartsWith("recursive call", Rejects("call local f\nexit\nf:\ncall local g\nexit\ng:\ncall local f\nexit").Reason);
    }

    [Fact]
    public void Nine_frames_are_too_many()
    {
        var text = new System.Text.StringBuilder("call local f1\nexit\n");
        for (int f = 1; f <= 8; f++)
        {
            text.Append($"f{f}:\n").Append(f < 8 ? $"call local f{f + 1}\n" : "").Append("exit\n");
        }

        Assert.Equal("the call stack of 9 frames is too deep", Rejects(text.ToString()).Reason);
    }

    [Fact]
    public void Frames_are_sized_from_their_stack_use_and_rounded_to_16_bytes()
    {
        var program = Verify("stb [%r10-20], 1\ncall local f\nexit\nf:\nmov %r1, %r10\nadd %r1, -40\nstdw [%r1+8], 0\nexit");

        Assert.Equal(32, program.Subprograms[0].FrameBytes);
        Assert.Equal(48, program.Subprograms[1].FrameBytes);
        Assert.Equal(80, program.StackBytes);
    }

    [Fact]
    public void The_combined_stack_of_a_call_chain_is_at_most_512_bytes()
    {
        Assert.Equal(512, Verify("stdw [%r10-256], 1\ncall local f\nexit\nf:\nstdw [%r10-256], 1\nexit").StackBytes);
        Assert.Equal("combined stack size of 2 calls is 528. Too large",
            Rejects("stdw [%r10-264], 1\ncall local f\nexit\nf:\nstdw [%r10-256], 1\nexit").Reason);
    }

    [Fact]
    public void A_stack_pointer_with_a_variable_offset_counts_as_the_whole_stack()
    {
        // r1 = r10 + r2 cannot be bounded structurally; with a call below it the 512 bytes are exceeded.
        Assert.Equal("combined stack size of 2 calls is 528. Too large",
            Rejects("mov %r1, %r10\nadd %r1, %r2\nstb [%r1-1], 0\ncall local f\nexit\nf:\nstb [%r10-1], 0\nexit").Reason);
    }

    [Fact]
    public void Packet_loads_cannot_be_mixed_with_local_calls() =>
        Assert.Equal("BPF_LD_[ABS|IND] instructions cannot be mixed with bpf-to-bpf calls",
            Rejects("ldabsb 0\ncall local f\nexit\nf:\nexit").Reason);

    [Fact]
    public void Verified_programs_know_their_features()
    {
        var program = Verify("ldabsb 0\nmov %r2, 1\ncall %r2\nexit");

        Assert.True(program.UsesPacketLoads);
        Assert.True(program.UsesCallRegister);
        Assert.True(program.MayEndEarly);
        Assert.Equal(Assembler.AssembleToBytes("ldabsb 0\nmov %r2, 1\ncall %r2\nexit"), program.ToBytecode());
    }
}
