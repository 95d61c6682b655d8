using Bpf.Native.Isa;
using Bpf.Native.Semantics;

namespace Bpf.Native.Tests.Semantics;

/// <summary>
/// The table itself: complete, one method per value-computing operation, and the edge cases RFC 9669 and the Linux
/// verifier's rewrites define (kernel/bpf/verifier.c do_misc_fixups for division; kernel/bpf/core.c for the rest).
/// The engines run exactly these methods (the conformance and differential tests check the engines).
/// </summary>
public sealed class SemanticsTableTests
{
    private const ulong LongMin = 0x8000_0000_0000_0000;
    private const ulong MinusOne = ulong.MaxValue;

    [Fact]
    public void Every_value_operation_has_exactly_one_method_and_structural_ones_none()
    {
        foreach (var info in OperationCatalog.All)
        {
            if (SemanticsTable.HasMethod(info.Shape))
            {
                var method = SemanticsTable.Method(info.Operation);
                Assert.True(method.IsStatic, $"{info.Operation}");
            }
            else
            {
                Assert.Throws<ArgumentException>(() => SemanticsTable.Method(info.Operation));
            }
        }
    }

    [Fact]
    public void Methods_have_the_signature_of_their_shape()
    {
        foreach (var info in OperationCatalog.All.Where(i => SemanticsTable.HasMethod(i.Shape)))
        {
            var method = SemanticsTable.Method(info.Operation);
            var parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
            switch (info.Shape)
            {
                case OperationShape.Alu:
                    Assert.Equal(typeof(ulong), method.ReturnType);
                    Assert.Equal([typeof(ulong), typeof(ulong)], parameters);
                    break;
                case OperationShape.ConditionalJump:
                    Assert.Equal(typeof(bool), method.ReturnType);
                    Assert.Equal([typeof(ulong), typeof(ulong)], parameters);
                    break;
                case OperationShape.Load:
                    Assert.Equal([typeof(ulong)], parameters);
                    break;
                case OperationShape.Store or OperationShape.Atomic:
                    Assert.Equal(typeof(void), method.ReturnType);
                    Assert.Equal(2, parameters.Length);
                    break;
                case OperationShape.AtomicFetch:
                    Assert.Equal(typeof(ulong), method.ReturnType);
                    Assert.Equal(2, parameters.Length);
                    break;
                case OperationShape.AtomicCompareExchange:
                    Assert.Equal(3, parameters.Length);
                    break;
                case OperationShape.PacketLoad:
                    Assert.Equal(typeof(long), method.ReturnType);
                    break;
            }
        }
    }

    [Theory]
    [InlineData(7UL, 0UL, 0UL)]
    [InlineData(7UL, 2UL, 3UL)]
    [InlineData(MinusOne, 2UL, 0x7fff_ffff_ffff_ffffUL)]
    public void Div64_by_zero_is_zero(ulong dst, ulong operand, ulong expected) =>
        Assert.Equal(expected, AluSemantics.Div64(dst, operand));

    [Fact]
    public void Mod_by_zero_leaves_dst_and_the_32_bit_form_zero_extends_it()
    {
        Assert.Equal(0xdead_beef_0000_0005UL, AluSemantics.Mod64(0xdead_beef_0000_0005, 0));
        Assert.Equal(5UL, AluSemantics.Mod32(0xdead_beef_0000_0005, 0));
        Assert.Equal(5UL, AluSemantics.Mod32(0xdead_beef_0000_0005, 0xffff_ffff_0000_0000)); // low half is zero
        Assert.Equal(0xffff_fffbUL, AluSemantics.SMod32(0xdead_beef_ffff_fffb, 0));
        Assert.Equal(0xdead_beef_ffff_fffbUL, AluSemantics.SMod64(0xdead_beef_ffff_fffb, 0));
    }

    [Fact]
    public void Division_uses_the_low_halves_for_32_bits()
    {
        Assert.Equal(0UL, AluSemantics.Div32(10, 0x1_0000_0000));
        Assert.Equal(5UL, AluSemantics.Div32(0xffff_ffff_0000_000a, 2));
    }

    [Fact]
    public void Signed_division_overflow_follows_the_kernel()
    {
        Assert.Equal(LongMin, AluSemantics.SDiv64(LongMin, MinusOne));
        Assert.Equal(0UL, AluSemantics.SMod64(LongMin, MinusOne));
        Assert.Equal(0x8000_0000UL, AluSemantics.SDiv32(0x8000_0000, MinusOne));
        Assert.Equal(0UL, AluSemantics.SMod32(0x8000_0000, 0xffff_ffff));
        Assert.Equal(0UL, AluSemantics.SDiv64(5, 0));
        Assert.Equal(0UL, AluSemantics.SDiv32(5, 0));
    }

    [Fact]
    public void Signed_modulo_takes_the_sign_of_the_dividend()
    {
        Assert.Equal(unchecked((ulong)-1L), AluSemantics.SMod64(unchecked((ulong)-7L), 2));
        Assert.Equal(1UL, AluSemantics.SMod64(7, unchecked((ulong)-2L)));
        Assert.Equal(0xffff_ffffUL, AluSemantics.SMod32(unchecked((uint)-7), 2));
        Assert.Equal(unchecked((ulong)-3L), AluSemantics.SDiv64(unchecked((ulong)-7L), 2));
    }

    [Fact]
    public void Shift_counts_are_masked_to_the_width()
    {
        Assert.Equal(2UL, AluSemantics.Lsh64(1, 65));
        Assert.Equal(2UL, AluSemantics.Lsh32(1, 33));
        Assert.Equal(1UL, AluSemantics.Rsh64(2, 65));
        Assert.Equal(0xf800_0000UL, AluSemantics.Arsh32(0x8000_0000, 36));
        Assert.Equal(MinusOne, AluSemantics.Arsh64(LongMin, 63));
        Assert.Equal(1UL, AluSemantics.Lsh32(0xffff_ffff_0000_0001, 64)); // count 64 & 31 = 0: the low half, zero-extended
    }

    [Fact]
    public void Results_of_32_bit_operations_are_zero_extended()
    {
        Assert.Equal(0UL, AluSemantics.Add32(0xffff_ffff, 1));
        Assert.Equal(0xffff_ffffUL, AluSemantics.Sub32(0, 1));
        Assert.Equal(0xffff_ffffUL, AluSemantics.Mov32(0, MinusOne));
        Assert.Equal(0x8000_0000UL, AluSemantics.Neg32(0x8000_0000, 0));
        Assert.Equal(0xffff_fffeUL, AluSemantics.Mul32(0x1_ffff_ffff, 2));
        Assert.Equal(0x1234UL, AluSemantics.Xor32(0xffff_0000_0000_1234, 0));
    }

    [Fact]
    public void Sign_extension()
    {
        Assert.Equal(0xffff_ffff_ffff_ff80UL, AluSemantics.MovSx8To64(0, 0x80));
        Assert.Equal(0xffff_ff80UL, AluSemantics.MovSx8To32(0, 0x1_0000_0080));
        Assert.Equal(0xffff_ffff_ffff_8000UL, AluSemantics.MovSx16To64(0, 0x8000));
        Assert.Equal(0xffff_8000UL, AluSemantics.MovSx16To32(0, 0x8000));
        Assert.Equal(0xffff_ffff_8000_0000UL, AluSemantics.MovSx32To64(0, 0x8000_0000));
        Assert.Equal(LongMin, AluSemantics.Neg64(LongMin, 0));
    }

    [Fact]
    public void Byte_swaps_truncate_to_their_width()
    {
        const ulong value = 0x1122_3344_5566_7788;
        Assert.Equal(0x8877UL, AluSemantics.ToBe16(value, 0));
        Assert.Equal(0x8877_6655UL, AluSemantics.ToBe32(value, 0));
        Assert.Equal(0x8877_6655_4433_2211UL, AluSemantics.ToBe64(value, 0));
        Assert.Equal(0x7788UL, AluSemantics.ToLe16(value, 0));
        Assert.Equal(0x5566_7788UL, AluSemantics.ToLe32(value, 0));
        Assert.Equal(value, AluSemantics.ToLe64(value, 0));
        Assert.Equal(0x8877UL, AluSemantics.Swap16(value, 0));
        Assert.Equal(0x8877_6655_4433_2211UL, AluSemantics.Swap64(value, 0));
    }

    [Fact]
    public void Jumps_compare_the_operand_as_given_and_jmp32_the_low_halves()
    {
        Assert.True(JumpSemantics.Jgt64(MinusOne, 5));
        Assert.False(JumpSemantics.Jgt64(5, MinusOne)); // imm -1 sign-extends to the largest unsigned value
        Assert.True(JumpSemantics.Jsgt64(5, MinusOne));
        Assert.True(JumpSemantics.Jeq32(0xffff_ffff_0000_0001, 1));
        Assert.True(JumpSemantics.Jslt32(0x0000_0000_8000_0000, 0));
        Assert.False(JumpSemantics.Jslt64(0x0000_0000_8000_0000, 0));
        Assert.True(JumpSemantics.Jset64(0x10, 0x30));
        Assert.False(JumpSemantics.Jset32(0x1_0000_0000, 0x1_0000_0000));
    }

    [Fact]
    public unsafe void Loads_are_unaligned_and_sign_or_zero_extend()
    {
        byte[] memory = [0x00, 0x80, 0xff, 0xff, 0xff, 0x7f, 0x01, 0x02, 0x03];
        fixed (byte* p = memory)
        {
            ulong at = (ulong)p + 1;
            Assert.Equal(0x80UL, MemorySemantics.LoadU8(at));
            Assert.Equal(0xffff_ffff_ffff_ff80UL, MemorySemantics.LoadS8(at));
            Assert.Equal(0xff80UL, MemorySemantics.LoadU16(at));
            Assert.Equal(0xffff_ffff_ffff_ff80UL, MemorySemantics.LoadS16(at));
            Assert.Equal(0xffff_ff80UL, MemorySemantics.LoadU32(at));
            Assert.Equal(0x0201_7fff_ffff_80UL, MemorySemantics.LoadU64(at) & 0x00ff_ffff_ffff_ffffUL);
            Assert.Equal((ulong)p - 4, MemorySemantics.EffectiveAddress((ulong)p, -4));
        }
    }

    [Fact]
    public unsafe void Atomics_return_the_old_value_zero_extended()
    {
        ulong cell = 0xffff_ffff_ffff_fff0;
        ulong at = (ulong)&cell;
        Assert.Equal(0xffff_fff0UL, AtomicSemantics.FetchAdd32(at, 0x20));
        Assert.Equal(0xffff_ffff_0000_0010UL, cell);
        Assert.Equal(0xffff_ffff_0000_0010UL, AtomicSemantics.FetchXor64(at, 0xff));
        Assert.Equal(0xffff_ffff_0000_00efUL, cell);
        AtomicSemantics.AtomicAnd64(at, 0xf);
        Assert.Equal(0xfUL, cell);
        AtomicSemantics.AtomicXor32(at, 0xf0);
        Assert.Equal(0xffUL, cell);
        Assert.Equal(0xffUL, AtomicSemantics.Exchange64(at, 1));
        Assert.Equal(1UL, AtomicSemantics.CompareExchange64(at, expected: 2, value: 9)); // no match: unchanged
        Assert.Equal(1UL, cell);
        Assert.Equal(1UL, AtomicSemantics.CompareExchange32(at, expected: 0xdead_0000_0000_0001, value: 9)); // low halves match
        Assert.Equal(9UL, cell);
    }
}
