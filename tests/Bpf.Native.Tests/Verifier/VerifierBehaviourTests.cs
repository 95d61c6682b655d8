using Bpf.Native.Isa;
using Bpf.Native.Maps;
using Bpf.Native.Programs;
using Bpf.Native.Verifier;

namespace Bpf.Native.Tests.Verifier;

/// <summary>Rules of the kernel-style verifier shown on small programs in the conformance suite's assembly.</summary>
public sealed class VerifierBehaviourTests
{
    private static readonly BpfMap s_hash = BpfMapFactory.Create(new MapDefinition("flows", BpfMapType.Hash, 4, 8, 16));

    /// <summary>Assembles; "lddw %rN, MAP" becomes a map reference (BPF_PSEUDO_MAP_FD) to the test's hash map.</summary>
    private static Instruction[] Code(string assembly)
    {
        var code = Assembler.Assemble(assembly.Replace("MAP", "0", StringComparison.Ordinal)).ToArray();
        for (int i = 0; i < code.Length; i++)
        {
            if (code[i].Operation == Operation.LoadImm64 && assembly.Contains("MAP", StringComparison.Ordinal) && code[i].Immediate == 0)
            {
                code[i] = code[i] with { Immediate = s_hash.Handle, ImmediateKind = LoadImmediateKind.MapFd };
            }
        }
        return code;
    }

    private static VerifiedProgram Verify(string assembly, int logLevel = 0) => ProgramVerifier.Verify(Code(assembly),
        new VerifierOptions { ProgramType = ProgramType.SchedCls, Helpers = TcTestHelpers.Table, LogLevel = logLevel });

    private static VerifierException Rejects(string assembly) => Assert.Throws<VerifierException>(() => Verify(assembly));

    private const string Lookup = """
        stw [%r10-4], 7
        mov %r2, %r10
        add %r2, -4
        lddw %r1, MAP
        call 1
        """;

    [Fact]
    public void A_null_check_makes_every_copy_of_the_pointer_valid() => Verify(Lookup + """

        mov %r6, %r0
        jeq %r0, 0, +2
        ldxdw %r0, [%r6+0]
        exit
        mov %r0, 0
        exit
        """);

    [Fact]
    public void After_the_null_branch_the_pointer_is_the_number_zero() =>
        Assert.Equal("R0 invalid mem access 'scalar'", Rejects(Lookup + """

        jne %r0, 0, +1
        ldxdw %r0, [%r0+0]
        exit
        """).Reason);

    [Fact]
    public void A_map_value_access_must_stay_inside_the_value() =>
        Assert.StartsWith("invalid access to map value, value_size=8 off=4 size=8", Rejects(Lookup + """

        jeq %r0, 0, +1
        ldxdw %r0, [%r0+4]
        exit
        """).Reason);

    [Fact]
    public void A_bounds_check_on_a_copy_bounds_the_original() => Verify(Lookup + """

        jeq %r0, 0, +7
        ldxw %r1, [%r6+0]
        mov %r2, %r1
        jgt %r2, 1, +4
        lsh %r1, 2
        add %r0, %r1
        ldxw %r0, [%r0+0]
        exit
        mov %r0, 0
        exit
        """.Replace("%r6", "%r0", StringComparison.Ordinal));

    [Fact]
    public void A_rejected_program_carries_the_log_of_its_failing_path()
    {
        var error = Rejects("mov %r1, 5\njeq %r1, 5, +1\nmov %r0, 1\nexit");

        Assert.Equal("R0 !read_ok", error.Reason);
        Assert.Equal(3, error.InstructionIndex);
        Assert.Equal("""
            0: R1=ctx() R10=fp0
            0: (b7) r1 = 5                        ; R1=5
            1: (15) if r1 == 0x5 goto pc+1        ; R1=5
            3: (95) exit
            R0 !read_ok
            processed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

            """.Replace("\r", "", StringComparison.Ordinal), error.Log);
    }

    [Fact]
    public void Level_one_keeps_only_the_statistics_of_an_accepted_program_and_level_two_keeps_every_path()
    {
        const string program = "ldxw %r2, [%r1+8]\nmov %r0, 1\njgt %r2, 10, +1\nmov %r0, 2\nexit";

        Assert.Equal("processed 6 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n",
            Verify(program, logLevel: 1).Log);
        string full = Verify(program, logLevel: 2).Log!;
        Assert.Contains("Live regs before insn:", full);
        Assert.Contains("\nfrom 2 to 4: R0=1 R1=ctx() R2=scalar(smin=umin=umin32=11,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff)) R10=fp0\n", full);
        Assert.Contains("stack depth 0\n", full);
    }

    [Fact]
    public void Frames_get_the_stack_their_function_touches()
    {
        var program = Verify("""
            stdw [%r10-24], 0
            mov %r1, %r10
            add %r1, -24
            call local f
            exit
            f:
            mov %r2, %r10
            add %r2, -40
            stdw [%r2+0], 1
            ldxdw %r0, [%r1+0]
            exit
            """);

        Assert.Equal([32, 48], program.Subprograms.Select(s => s.FrameBytes));
        Assert.Equal(80, program.StackBytes);
        Assert.Equal(RegisterKind.Stack, program.Aux(8).PointerKind);
    }

    [Fact]
    public void A_loop_that_makes_no_progress_is_an_infinite_loop()
    {
        var error = Rejects("mov %r0, 0\nldxw %r1, [%r1+0]\njeq %r1, 0, -1\nexit");

        Assert.StartsWith("infinite loop detected at insn 2", error.Reason);
    }

    [Fact]
    public void A_bounded_loop_is_walked_to_its_end()
    {
        var program = Verify("mov %r0, 0\nmov %r1, 0\nadd %r0, %r1\nadd %r1, 1\njlt %r1, 100, -3\nexit");

        Assert.True(program.Statistics!.InstructionsProcessed > 300);
    }

    [Fact]
    public void Pointers_into_the_packet_are_stale_after_a_helper_that_changes_the_packet() =>
        Assert.Equal("R6 invalid mem access 'scalar'", Rejects("""
            mov %r9, %r1
            ldxw %r6, [%r1+76]
            ldxw %r7, [%r1+80]
            mov %r2, %r6
            add %r2, 14
            jgt %r2, %r7, +5
            mov %r1, %r9
            mov %r2, 1
            call 39
            ldxb %r0, [%r6+0]
            exit
            mov %r0, 0
            exit
            """).Reason);
}
