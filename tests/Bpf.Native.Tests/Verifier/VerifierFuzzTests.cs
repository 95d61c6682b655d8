using Bpf.Native.Isa;
using Bpf.Native.Programs;
using Bpf.Native.Tests.Differential;
using Bpf.Native.Tests.Support;
using Bpf.Native.Verifier;
using CsCheck;

namespace Bpf.Native.Tests.Verifier;

/// <summary>
/// Whatever the instructions, the verifier answers with a verified program or a <see cref="VerifierException"/>
/// carrying a reason and a log: never another exception, never a hang (random programs are small; loops end at the
/// complexity limit or by loop detection).
/// </summary>
public sealed class VerifierFuzzTests
{
    private static readonly VerifierOptions s_options = new() { ProgramType = ProgramType.SchedCls, Helpers = TcTestHelpers.Table };

    private static void AnswersCleanly(Instruction[] code)
    {
        try
        {
            var program = ProgramVerifier.Verify(code, s_options);
            Assert.NotNull(program.Statistics);
        }
        catch (VerifierException rejected)
        {
            Assert.False(string.IsNullOrEmpty(rejected.Reason));
            Assert.NotNull(rejected.Log);
        }
    }

    /// <summary>Random instructions, helper ids from the tc range, lddw plain values, ending in exit.</summary>
    private static readonly Gen<Instruction[]> RandomCode = InstructionGen.Any
        .Select(i => i.Shape switch
        {
            OperationShape.LoadImm64 => i with { ImmediateKind = LoadImmediateKind.Value },
            OperationShape.Call => i with { Immediate = (long)((ulong)i.Immediate % 140) },
            OperationShape.Jump or OperationShape.ConditionalJump or OperationShape.CallLocal => i with { Offset = i.Offset % 8 },
            _ => i,
        })
        .Array[1, 24]
        .Select(body => (Instruction[])[.. body, Instruction.ExitProgram()]);

    /// <summary>
    /// Registers set up first (context, packet start and end, a stack pointer, small numbers), so random
    /// instructions get past "!read_ok" and exercise pointer rules, bounds, branches and stack slots.
    /// </summary>
    private static readonly Instruction[] s_prologue = Assembler.Assemble("""
        mov %r6, %r1
        ldxw %r2, [%r1+76]
        ldxw %r3, [%r1+80]
        mov %r4, %r2
        add %r4, 32
        jgt %r4, %r3, +0
        ldxw %r5, [%r1+0]
        mov %r7, %r10
        add %r7, -64
        stdw [%r7+0], 0
        mov %r8, 3
        mov %r9, 100
        mov %r0, 0
        mov %r1, %r6
        """).ToArray();

    [Fact]
    public void Random_instructions_are_accepted_or_rejected_with_a_reason()
    {
        RandomCode.Sample(AnswersCleanly, iter: 10_000);
        RandomCode.Sample(code => AnswersCleanly([.. s_prologue, .. code]), iter: 3_000);
    }

    [Fact]
    public void Generated_valid_programs_are_accepted_or_rejected_with_a_reason()
    {
        ProgramGen.Program.Sample(generated => AnswersCleanly(generated.Code.ToArray()), iter: 2_000);
        ProgramGen.ProgramWithCalls.Sample(generated => AnswersCleanly(generated.Code.ToArray()), iter: 1_000);
    }

    [Fact]
    public void Programs_that_only_do_arithmetic_and_stack_work_on_the_context_start_are_accepted()
    {
        // Everything the engines' generator writes to "memory" goes through r6; here r6 is the context, so most
        // programs are refused for context rules, but arithmetic on the stack alone must pass.
        var program = Assembler.Assemble("mov %r0, 0\nmov %r1, 7\nstxdw [%r10-8], %r1\nldxdw %r2, [%r10-8]\nadd %r0, %r2\nexit");
        Assert.NotNull(ProgramVerifier.Verify(program, s_options).Statistics);
    }
}
