using Bpf.Native.Isa;
using Bpf.Native.Programs;
using Bpf.Native.Verifier;

namespace Bpf.Native.Tests.Verifier;

/// <summary>The verifier's per-instruction output for the context rewrite: pointer kinds, context offsets and sizes.</summary>
public sealed class InstructionAuxTests
{
    private static VerifiedProgram Verify(string assembly) => ProgramVerifier.Verify(Assembler.Assemble(assembly),
        new VerifierOptions { ProgramType = ProgramType.SchedCls, Helpers = TcTestHelpers.Table });

    private static VerifierException Rejects(string assembly) => Assert.Throws<VerifierException>(() => Verify(assembly));

    [Fact]
    public void Context_loads_and_stores_record_offset_size_and_direction()
    {
        var program = Verify("""
            ldxw %r2, [%r1+8]
            ldxb %r3, [%r1+33]
            stxw [%r1+72], %r2
            mov %r0, 0
            exit
            """);

        Assert.Equal(new InstructionAux { Reached = true, PointerKind = RegisterKind.Context, AccessKind = ContextAccessKind.Read,
            AccessSizeBytes = 4, ContextOffsetBytes = SkBuffLayout.Mark, ContextFieldSizeBytes = 4 }, program.Aux(0));
        Assert.Equal((SkBuffLayout.Priority + 1, 1, 4), (program.Aux(1).ContextOffsetBytes, program.Aux(1).AccessSizeBytes, program.Aux(1).ContextFieldSizeBytes));
        Assert.Equal((ContextAccessKind.Write, SkBuffLayout.TcClassid), (program.Aux(2).AccessKind, program.Aux(2).ContextOffsetBytes));
        Assert.True(program.HasContextAccesses);
        Assert.Same(ProgramType.SchedCls, program.ProgramType);
    }

    [Fact]
    public void Stack_and_packet_accesses_are_not_context_accesses()
    {
        var program = Verify("""
            ldxw %r2, [%r1+76]
            ldxw %r3, [%r1+80]
            mov %r4, %r2
            add %r4, 14
            jgt %r4, %r3, +2
            ldxb %r0, [%r2+12]
            stxb [%r2+0], %r0
            stdw [%r10-8], 0
            mov %r0, 0
            exit
            """);

        Assert.Equal(RegisterKind.Packet, program.Aux(5).PointerKind);
        Assert.Equal(RegisterKind.Packet, program.Aux(6).PointerKind);
        Assert.Equal(RegisterKind.Stack, program.Aux(7).PointerKind);
        Assert.False(program.Aux(5).IsContextAccess);
        Assert.True(program.WritesPacketDirectly);
        Assert.Equal(RegisterKind.NotInit, program.Aux(2).PointerKind);
    }

    [Fact]
    public void The_context_is_followed_through_moves_spills_and_calls()
    {
        var program = Verify("""
            mov %r6, %r1
            stxdw [%r10-8], %r6
            ldxdw %r7, [%r10-8]
            ldxw %r0, [%r7+0]
            mov %r1, %r6
            call local f
            exit
            f:
            ldxw %r0, [%r1+48]
            exit
            """);

        Assert.True(program.Aux(3).IsContextAccess);
        Assert.True(program.Aux(7).IsContextAccess);
        Assert.Equal(SkBuffLayout.Cb, program.Aux(7).ContextOffsetBytes);
    }

    [Fact]
    public void One_instruction_reached_with_the_context_and_another_pointer_is_rejected() =>
        Assert.Equal("same insn cannot be used with different pointers", Rejects("""
            ldxw %r3, [%r1+8]
            mov %r2, %r1
            jeq %r3, 0, +2
            mov %r2, %r10
            add %r2, -8
            ldxw %r0, [%r2+0]
            exit
            """).Reason);

    [Fact]
    public void Invalid_context_accesses_are_rejected_with_the_kernel_message()
    {
        Assert.Equal("invalid bpf_context access off=0 size=4", Rejects("stw [%r1+0], 1\nmov %r0, 0\nexit").Reason);
        Assert.Equal("invalid bpf_context access off=76 size=8", Rejects("ldxdw %r0, [%r1+76]\nexit").Reason);
    }

    [Fact]
    public void Helpers_outside_the_program_type_or_the_table_are_rejected_with_the_kernel_messages()
    {
        Assert.Equal("invalid func unknown#212", Rejects("call 212\nexit").Reason);
        Assert.Equal("program of this type cannot use helper bpf_xdp_adjust_head#44", Rejects("call 44\nexit").Reason);
        Assert.Equal("unknown func bpf_fib_lookup#69", Rejects("call 69\nexit").Reason);
    }

    [Fact]
    public void Without_a_program_type_only_the_structural_gate_runs()
    {
        var program = ProgramVerifier.Verify(Assembler.Assemble("ldxdw %r0, [%r1+76]\nexit"), new VerifierOptions());

        Assert.Null(program.ProgramType);
        Assert.False(program.Aux(0).IsContextAccess);
    }
}
