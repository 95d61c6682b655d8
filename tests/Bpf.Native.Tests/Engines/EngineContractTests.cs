using Bpf.Native.Execution;
using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Loader;
using Bpf.Native.Tests.Support;
using Bpf.Native.Verifier;

namespace Bpf.Native.Tests.Engines;

/// <summary>
/// What every engine must do, beyond the conformance suite: legacy packet loads, helpers, callx, tail calls,
/// program-local calls and their frames, the seed classifier, and zero allocation per run. One sealed subclass per
/// engine runs every test.
/// </summary>
public abstract unsafe class EngineContractTests
{
    protected abstract EngineKind Engine { get; }

    private static HelperTable Helpers() => new HelperTable()
        .Register(1, "mix", new HelperPrototype(HelperReturnKind.Integer,
                HelperArgumentKind.Anything, HelperArgumentKind.Anything, HelperArgumentKind.Anything,
                HelperArgumentKind.Anything, HelperArgumentKind.Anything),
            typeof(TestHelpers).GetMethod(nameof(TestHelpers.MixesArguments))!)
        .Register(2, "context", new HelperPrototype(HelperReturnKind.Integer, HelperArgumentKind.PointerToContext),
            typeof(TestHelpers).GetMethod(nameof(TestHelpers.ReturnsContext))!)
        .Register(TailCallTable.HelperId, "tail_call", new HelperPrototype(HelperReturnKind.Integer,
                HelperArgumentKind.PointerToContext, HelperArgumentKind.ConstMapPointer, HelperArgumentKind.Anything),
            typeof(TailCallTable).GetMethod(nameof(TailCallTable.TailCall))!, mayEndProgram: true);

    private BpfProgram Load(string assembly) => Load(Assembler.AssembleToBytes(assembly));

    private BpfProgram Load(byte[] bytecode) =>
        ProgramLoader.Load(bytecode, new LoadOptions { Engine = Engine, Helpers = Helpers() });

    private ulong Run(string assembly, byte[]? memory = null) => Load(assembly).Run(memory ?? []);

    /// <summary>An Ethernet + IPv4 + TCP header, TOS 0x10 at offset 15, protocol 6 at 23.</summary>
    private static byte[] Ipv4Frame() => Convert.FromHexString(
        "00112233445566778899aabb0800" +
        "4510003c1c4640004006b1e6c0a80001c0a800c7" +
        "d3f90050000000000000000050022000917c0000");

    [Fact]
    public void Engine_is_the_one_asked_for() => Assert.Equal(Engine, Load("exit").Engine);

    [Fact]
    public void Ld_abs_reads_big_endian_bytes_halves_and_words()
    {
        byte[] frame = Ipv4Frame();

        Assert.Equal(0x10UL, Run("ldabsb 15\nexit", frame));
        Assert.Equal(0x0800UL, Run("ldabsh 12\nexit", frame));
        Assert.Equal(0xc0a80001UL, Run("ldabsw 26\nexit", frame));
    }

    [Fact]
    public void Ld_ind_adds_the_source_register()
    {
        byte[] frame = Ipv4Frame();

        Assert.Equal(0xc0a800c7UL, Run("mov %r7, 14\nldindw %r7, 16\nexit", frame));
        Assert.Equal(0x0050UL, Run("mov %r7, 34\nldindh %r7, 2\nexit", frame)); // TCP destination port
    }

    [Fact]
    public void Ld_ind_offset_is_truncated_to_a_signed_32_bit_int()
    {
        byte[] frame = Ipv4Frame();

        Assert.Equal(0x10UL, Run("lddw %r7, 0x10000000f\nldindb %r7, 0\nexit", frame));
        Assert.Equal(0x45UL, Run("mov32 %r7, 0xffffffff\nldindb %r7, 15\nexit", frame)); // -1 + 15 = 14
    }

    [Theory]
    [InlineData("ldabsw 52")]                       // 52 + 4 > 54
    [InlineData("ldabsh 53")]
    [InlineData("ldabsb 54")]
    [InlineData("ldabsb 0x7fffffff")]
    [InlineData("ldabsb -1")]
    [InlineData("mov %r7, 50\nldindw %r7, 1")]
    [InlineData("mov %r7, -20\nldindb %r7, 5")]
    [InlineData("lddw %r7, 0x80000000\nldindb %r7, 0")] // (int)0x80000000 is negative and below SKF_LL_OFF
    public void Out_of_bounds_packet_load_ends_the_program_with_zero(string load)
    {
        byte[] frame = Ipv4Frame();
        Assert.Equal(54, frame.Length);

        Assert.Equal(0UL, Run($"mov %r0, 99\nmov %r6, 7\n{load}\nmov %r0, 42\nexit", frame));
    }

    [Fact]
    public void The_last_bytes_of_the_packet_are_in_bounds() =>
        Assert.Equal(0x0000UL, Run("ldabsh 52\nexit", Ipv4Frame())); // urgent pointer, zero

    [Fact]
    public void Ld_abs_reaches_the_link_layer_and_network_areas()
    {
        var program = Load("ldabsb -0x200000\nmov %r6, %r0\nldabsb -0xffff7\nlsh %r0, 8\nor %r0, %r6\nexit");
        byte[] frame = Ipv4Frame();
        fixed (byte* data = frame)
        {
            BpfStackBuffer stack = default;
            var run = new BpfRunContext
            {
                PacketData = data,
                PacketLength = (uint)frame.Length,
                NetworkHeaderOffset = 14,
                StackTop = BpfStackBuffer.Top(ref stack),
            };
            // SKF_LL_OFF + 0: the first byte of the frame; SKF_NET_OFF + 9: the IPv4 protocol byte.
            Assert.Equal(0x0600UL, program.Run(ref run));
        }
    }

    [Fact]
    public void Seed_classifier_returns_the_class_id_from_the_tos_byte()
    {
        var program = Load(ClangFixtures.SeedClassifier);
        byte[] frame = Ipv4Frame();

        Assert.Equal(0x0800_0010UL, program.Run(frame));
        frame[15] = 0xb8;
        Assert.Equal(0x0800_00b8UL, program.Run(frame));
        Assert.Equal(0UL, program.Run(frame.AsSpan(0, 15))); // too short for the TOS byte: the kernel returns 0
    }

    [Fact]
    public void Helpers_get_r1_to_r5_in_order_and_return_in_r0() =>
        Assert.Equal(54321UL, Run("mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, 5\ncall 1\nexit"));

    [Fact]
    public void Helpers_see_the_run_context()
    {
        byte[] memory = [1, 2, 3];
        fixed (byte* address = memory)
        {
            Assert.Equal((ulong)address, Run("call 2\nexit", memory));
        }
    }

    [Fact]
    public void Helper_calls_leave_r6_to_r9_alone() =>
        Assert.Equal(6789UL, Run("mov %r6, 6\nmov %r7, 7\nmov %r8, 8\nmov %r9, 9\ncall 1\n" +
            "mul %r6, 1000\nmul %r7, 100\nmul %r8, 10\nmov %r0, %r6\nadd %r0, %r7\nadd %r0, %r8\nadd %r0, %r9\nexit"));

    [Fact]
    public void Callx_calls_the_helper_whose_id_is_in_the_register() =>
        Assert.Equal(54321UL, Run("mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, 5\nmov %r8, 1\ncall %r8\nexit"));

    [Fact]
    public void Callx_to_an_unknown_helper_ends_the_run_with_zero() =>
        Assert.Equal(0UL, Run("mov %r0, 5\nmov %r8, 77\ncall %r8\nmov %r0, 42\nexit"));

    [Fact]
    public void Tail_call_replaces_the_running_program()
    {
        ulong index = TailCallTable.NewIndex();
        TailCallTable.Set(index, Load("mov %r0, %r1\nadd %r0, 1000\nexit"));
        var caller = Load($"mov %r0, 7\nmov %r6, %r1\nmov %r3, {index}\ncall 12\nmov %r0, 99\nexit");
        byte[] memory = [1];
        fixed (byte* address = memory)
        {
            // The target runs with the caller's context in r1; nothing after the caller's call runs.
            Assert.Equal((ulong)address + 1000, caller.Run(memory));
        }
    }

    [Fact]
    public void Failed_tail_call_continues_after_the_call()
    {
        ulong empty = TailCallTable.NewIndex();

        Assert.Equal(99UL, Run($"mov %r3, {empty}\ncall 12\nmov %r0, 99\nexit"));
    }

    [Fact]
    public void At_most_33_tail_calls_are_taken()
    {
        // The program counts its runs in memory and tail-calls itself; the 34th call fails and it returns the count.
        ulong index = TailCallTable.NewIndex();
        var program = Load($"mov %r6, %r1\nldxdw %r7, [%r6]\nadd %r7, 1\nstxdw [%r6], %r7\nmov %r1, %r6\nmov %r3, {index}\ncall 12\nldxdw %r0, [%r6]\nexit");
        TailCallTable.Set(index, program);
        byte[] counter = new byte[8];

        Assert.Equal(34UL, program.Run(counter));
        Array.Clear(counter);
        Assert.Equal(34UL, program.Run(counter)); // the count starts again with each run
    }

    [Fact]
    public void Tail_call_from_a_local_function_ends_the_whole_program()
    {
        ulong index = TailCallTable.NewIndex();
        TailCallTable.Set(index, Load("mov %r0, 5\nexit"));
        var program = Load($"mov %r6, 1\ncall local fn\nmov %r0, 99\nexit\nfn:\nmov %r3, {index}\ncall 12\nmov %r0, 98\nexit");

        Assert.Equal(5UL, program.Run([]));
    }

    [Fact]
    public void Local_calls_pass_r1_to_r5_return_r0_and_preserve_r6_to_r9()
    {
        const string program = """
            mov %r6, 6
            mov %r7, 7
            mov %r8, 8
            mov %r9, 9
            mov %r1, 1
            mov %r2, 2
            mov %r3, 3
            mov %r4, 4
            mov %r5, 5
            call local fn
            mul %r0, 10000
            mul %r6, 1000
            add %r0, %r6
            mul %r7, 100
            add %r0, %r7
            mul %r8, 10
            add %r0, %r8
            add %r0, %r9
            exit
            fn:
            mov %r0, %r1
            add %r0, %r2
            add %r0, %r3
            add %r0, %r4
            add %r0, %r5
            mov %r6, 0
            mov %r7, 0
            mov %r8, 0
            mov %r9, 0
            exit
            """;

        Assert.Equal(156789UL, Run(program));
    }

    [Fact]
    public void Each_function_has_its_own_stack_frame()
    {
        // Both functions write r10-8; the callee's frame lies below the caller's, so neither sees the other's.
        const string program = """
            stdw [%r10-8], 111
            call local fn
            ldxdw %r1, [%r10-8]
            mul %r1, 1000
            add %r0, %r1
            exit
            fn:
            stdw [%r10-8], 222
            ldxdw %r0, [%r10-8]
            exit
            """;

        Assert.Equal(111222UL, Run(program));
    }

    [Fact]
    public void A_callee_can_write_through_a_pointer_into_its_callers_frame()
    {
        const string program = """
            stdw [%r10-16], 0
            mov %r1, %r10
            add %r1, -16
            call local fn
            ldxdw %r0, [%r10-16]
            exit
            fn:
            stdw [%r1+0], 4242
            stdw [%r10-8], 1
            exit
            """;

        Assert.Equal(4242UL, Run(program));
    }

    [Fact]
    public void Calls_eight_frames_deep_run()
    {
        // main -> f1 -> ... -> f7: eight frames, each adding one.
        var text = new System.Text.StringBuilder("mov %r0, 0\ncall local f1\nexit\n");
        for (int f = 1; f <= 7; f++)
        {
            text.Append($"f{f}:\n");
            text.Append(f < 7 ? $"call local f{f + 1}\n" : "mov %r0, 0\n");
            text.Append("add %r0, 1\nexit\n");
        }

        Assert.Equal(7UL, Run(text.ToString()));
    }

    [Fact]
    public void A_run_allocates_nothing()
    {
        ulong index = TailCallTable.NewIndex();
        TailCallTable.Set(index, Load("mov %r0, 3\nexit"));
        var programs = new[]
        {
            Load(ClangFixtures.SeedClassifier),
            Load("mov %r1, 1\ncall 1\nmov %r8, 1\ncall %r8\ncall local fn\nexit\nfn:\nstdw [%r10-8], 1\nldxdw %r0, [%r10-8]\nexit"),
            Load($"mov %r3, {index}\ncall 12\nexit"),
        };
        byte[] frame = Ipv4Frame();
        foreach (var program in programs)
        {
            program.Run(frame);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            foreach (var program in programs)
            {
                program.Run(frame);
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Registers_start_at_zero_except_r1_r2_and_r10()
    {
        Assert.Equal(0UL, Run("mov %r0, %r3\nor %r0, %r4\nor %r0, %r5\nor %r0, %r6\nor %r0, %r7\nor %r0, %r8\nor %r0, %r9\nexit"));
        Assert.Equal(3UL, Run("mov %r0, %r2\nexit", [1, 2, 3]));
    }
}
