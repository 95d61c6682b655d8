using Bpf.Native.Isa;
using Bpf.Native.Verifier;

namespace Bpf.Native.Tests.Verifier;

/// <summary>
/// The log's notation against text this machine's kernel printed for the same instructions and states
/// (kernel/bpf/disasm.c, kernel/bpf/log.c). Whole logs are compared by the fixture cases.
/// </summary>
public sealed class KernelLogFormatTests
{
    public static TheoryData<string, string> Instructions() => new()
    {
        { "(b7) r3 = 20", "mov %r3, 20" },
        { "(bf) r6 = r1", "mov %r6, %r1" },
        { "(07) r1 += -16", "add %r1, -16" },
        { "(0f) r2 += r3", "add %r2, %r3" },
        { "(17) r1 -= 8", "sub %r1, 8" },
        { "(04) w1 += 4", "add32 %r1, 4" },
        { "(57) r1 &= 255", "and %r1, 255" },
        { "(37) r0 /= 0", "div %r0, 0" },
        { "(67) r0 <<= 64", "lsh %r0, 64" },
        { "(dc) r2 = be16 r2", "be16 %r2" },
        { "(61) r2 = *(u32 *)(r1 +76)", "ldxw %r2, [%r1+76]" },
        { "(79) r0 = *(u64 *)(r10 -16)", "ldxdw %r0, [%r10-16]" },
        { "(63) *(u32 *)(r10 -12) = r1", "stxw [%r10-12], %r1" },
        { "(7b) *(u64 *)(r10 -8) = r1", "stxdw [%r10-8], %r1" },
        { "(db) lock *(u64 *)(r0 +8) += r1", "lock add [%r0+8], %r1" },
        { "(25) if r4 > 0x64 goto pc+6", "jgt %r4, 100, +6" },
        { "(2d) if r4 > r3 goto pc+63", "jgt %r4, %r3, +63" },
        { "(15) if r0 == 0x0 goto pc-1", "jeq %r0, 0, -1" },
        { "(05) goto pc+18", "ja +18" },
        { "(85) call bpf_map_lookup_elem#1", "call 1" },
        { "(85) call unknown#999", "call 999" },
        { "(95) exit", "exit" },
        { "(30) r0 = *(u8 *)skb[12]", "ldabsb 12" },
        { "(28) r0 = *(u16 *)skb[12]", "ldabsh 12" },
        { "(48) r0 = *(u16 *)skb[r7 + 0]", "ldindh %r7, 0" },
        { "(18) r3 = 0x1fffffffe", "lddw %r3, 0x1fffffffe" },
    };

    [Theory]
    [MemberData(nameof(Instructions))]
    public void Instructions_read_as_the_kernel_prints_them(string kernel, string assembly) =>
        Assert.Equal(kernel, KernelDisassembler.Format(Assembler.Assemble(assembly)[0]));

    [Fact]
    public void Local_calls_print_their_displacement() =>
        Assert.Equal("(85) call pc+3", KernelDisassembler.Format(Instruction.CallLocalFunction(3)));

    [Fact]
    public void Registers_print_as_the_kernel_prints_them()
    {
        var ctx = new RegisterState { Kind = RegisterKind.Context };
        ctx.MarkKnown(0);
        var fp = new RegisterState { Kind = RegisterKind.Stack };
        fp.MarkKnown(0);
        fp.Off = -16;
        var packet = new RegisterState { Kind = RegisterKind.Packet };
        packet.MarkKnown(0);
        packet.Off = 14;
        packet.Range = 14;
        var end = new RegisterState { Kind = RegisterKind.PacketEnd };
        end.MarkKnown(0);
        var ring = new RegisterState { Kind = RegisterKind.Memory, RingBuffer = true, MaybeNull = true, Id = 2, RefObjId = 2, MemSize = 8 };

        Assert.Equal("ctx()", StatePrinter.Format(ctx, 0));
        Assert.Equal("fp-16", StatePrinter.Format(fp, 0));
        Assert.Equal("pkt(off=14,r=14)", StatePrinter.Format(packet, 0));
        Assert.Equal("pkt_end()", StatePrinter.Format(end, 0));
        Assert.Equal("ringbuf_mem_or_null(id=2,ref_obj_id=2,sz=8)", StatePrinter.Format(ring, 0));
        Assert.Equal("scalar()", StatePrinter.Format(RegisterState.UnknownScalar(), 0));
        Assert.Equal("0xfbb600000000", StatePrinter.Format(RegisterState.KnownScalar(0xfbb600000000), 0));
        Assert.Equal("-1", StatePrinter.Format(RegisterState.KnownScalar(ulong.MaxValue), 0));
        var linked = RegisterState.UnknownScalar();
        linked.Id = 1;
        linked.AddConst = true;
        linked.Off = 5;
        linked.UMin = 5;
        linked.UMax = 0x100000004;
        linked.Sync();
        Assert.Equal("scalar(id=1+5,smin=umin=5,smax=umax=0x100000004,var_off=(0x0; 0x1ffffffff))", StatePrinter.Format(linked, 0));
    }

    [Fact]
    public void State_comments_align_to_the_kernels_column()
    {
        // "0: (b7) r3 = 20" plus its newline is 16 characters: ';' lands in column 38.
        Assert.Equal(23, VerifierLog.AlignmentFor(16));
        Assert.Equal(new string(' ', 23).Length + 15, "0: (b7) r3 = 20                       ".Length);
    }
}
