using Bpf.Native.Isa;
using CsCheck;

namespace Bpf.Native.Tests.Isa;

/// <summary>
/// LLVM's syntax for what the golden objects cannot show: cpu v4 instructions (clang 14 cannot emit them), 32-bit
/// atomics, stores of an immediate, jset and callx, written as LLVM 17+ prints them (BPFInstrInfo.td).
/// </summary>
public sealed class DisassemblerTests
{
    [Theory]
    [InlineData("sdiv %r1, %r2", "r1 s/= r2")]
    [InlineData("smod32 %r1, -3", "w1 s%= -3")]
    [InlineData("movsx864 %r1, %r2", "r1 = (s8)r2")]
    [InlineData("movsx1632 %r1, %r2", "w1 = (s16)w2")]
    [InlineData("movsx3264 %r1, %r2", "r1 = (s32)r2")]
    [InlineData("ldxsb %r0, [%r10-1]", "r0 = *(s8 *)(r10 - 1)")]
    [InlineData("ldxsw %r0, [%r1+4]", "r0 = *(s32 *)(r1 + 4)")]
    [InlineData("bswap16 %r3", "r3 = bswap16 r3")]
    [InlineData("bswap64 %r3", "r3 = bswap64 r3")]
    [InlineData("ja32 +7", "gotol +7")]
    [InlineData("call %r2", "callx r2")]
    [InlineData("call local +3", "call 3")]
    [InlineData("stw [%r10-4], 0x11223344", "*(u32 *)(r10 - 4) = 287454020")]
    [InlineData("stdw [%r1+0], -1", "*(u64 *)(r1 + 0) = -1")]
    [InlineData("jset %r1, 0x10, +2", "if r1 & 16 goto +2")]
    [InlineData("jset32 %r1, %r2, -1", "if w1 & w2 goto -1")]
    [InlineData("lock or32 [%r10-8], %r1", "lock *(u32 *)(r10 - 8) |= w1")]
    [InlineData("lock xor32 [%r10-8], %r1", "lock *(u32 *)(r10 - 8) ^= w1")]
    [InlineData("lock add32 [%r10-8], %r1", "lock *(u32 *)(r10 - 8) += r1")]
    [InlineData("lock fetch or32 [%r10-8], %r1", "w1 = atomic_fetch_or((u32 *)(r10 - 8), w1)")]
    [InlineData("lock fetch xor [%r10-8], %r3", "r3 = atomic_fetch_xor((u64 *)(r10 - 8), r3)")]
    [InlineData("lock xchg32 [%r10-8], %r1", "w1 = xchg32_32(r10 - 8, w1)")]
    [InlineData("lock xchg [%r10-8], %r1", "r1 = xchg_64(r10 - 8, r1)")]
    [InlineData("lock cmpxchg32 [%r10-8], %r1", "w0 = cmpxchg32_32(r10 - 8, w0, w1)")]
    [InlineData("lock cmpxchg [%r1+16], %r2", "r0 = cmpxchg_64(r1 + 16, r0, r2)")]
    [InlineData("ldindh %r1, 12", "r0 = *(u16 *)skb[r1 + 12]")]
    [InlineData("ldindb %r1, -2", "r0 = *(u8 *)skb[r1 - 2]")]
    [InlineData("ldabsw -2097152", "r0 = *(u32 *)skb[-2097152]")]
    [InlineData("neg32 %r4", "w4 = -w4")]
    [InlineData("le16 %r4", "r4 = le16 r4")]
    public void Formats_in_llvm_syntax(string assembly, string expected) =>
        Assert.Equal(expected, Disassembler.Format(Assembler.Assemble(assembly)[0]));

    [Fact]
    public void Unresolved_lddw_references_print_as_ld_pseudo() =>
        Assert.Equal("ld_pseudo r1, 1, 5", Disassembler.Format(
            new Instruction(Operation.LoadImm64, 1, Immediate: 5, ImmediateKind: LoadImmediateKind.MapFd)));

    [Fact]
    public void Whole_programs_use_llvm_objdump_line_format()
    {
        byte[] bytecode = Assembler.AssembleToBytes("lddw %r1, 0x1122334455667788\nexit");

        Assert.Equal(
            "       0:\t18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11\tr1 = 1234605616436508552 ll\n" +
            "       2:\t95 00 00 00 00 00 00 00\texit\n",
            Disassembler.Disassemble(bytecode));
    }

    [Fact]
    public void Every_operation_has_a_text() =>
        Support.InstructionGen.Any.Sample(instruction =>
            Assert.DoesNotContain("unknown", Disassembler.Format(instruction)), iter: 5_000);
}
