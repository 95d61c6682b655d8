using Bpf.Native.Verifier;
using CsCheck;

namespace Bpf.Native.Tests.Verifier;

/// <summary>
/// Tristate numbers (kernel/bpf/tnum.c): every operation is sound, i.e. for any values x in a and y in b the
/// concrete result lies in the tnum result; and the exact cases the verifier relies on.
/// </summary>
public sealed class TnumTests
{
    /// <summary>A tnum and one value it contains.</summary>
    internal static readonly Gen<(Tnum Tnum, ulong Member)> TnumWithMember =
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.Int[0, 3]).Select((value, mask, pick, shape) =>
        {
            // Masks biased to the shapes programs produce: low bits unknown, a few bits unknown, all known.
            mask = shape switch
            {
                0 => mask & 0xff,
                1 => mask & 0xffffffff,
                2 => 0,
                _ => mask,
            };
            var tnum = new Tnum(value & ~mask, mask);
            return (tnum, tnum.Value | (pick & mask));
        });

    private static void Sound(Func<Tnum, Tnum, Tnum> abstractOp, Func<ulong, ulong, ulong> concreteOp) =>
        Gen.Select(TnumWithMember, TnumWithMember).Sample((a, b) =>
        {
            var result = abstractOp(a.Tnum, b.Tnum);
            ulong value = concreteOp(a.Member, b.Member);
            Assert.True(result.Contains(Tnum.Const(value)), $"{a.Tnum} op {b.Tnum} = {result} misses {value:x}");
        }, iter: 20_000);

    [Fact]
    public void Addition_is_sound() => Sound((a, b) => a + b, (x, y) => x + y);

    [Fact]
    public void Subtraction_is_sound() => Sound((a, b) => a - b, (x, y) => x - y);

    [Fact]
    public void Multiplication_is_sound() => Sound((a, b) => a * b, (x, y) => x * y);

    [Fact]
    public void Bitwise_operations_are_sound()
    {
        Sound((a, b) => a & b, (x, y) => x & y);
        Sound((a, b) => a | b, (x, y) => x | y);
        Sound((a, b) => a ^ b, (x, y) => x ^ y);
    }

    [Fact]
    public void Shifts_are_sound() =>
        Gen.Select(TnumWithMember, Gen.Int[0, 63]).Sample((a, shift) =>
        {
            Assert.True(a.Tnum.LeftShift(shift).Contains(Tnum.Const(a.Member << shift)));
            Assert.True(a.Tnum.RightShift(shift).Contains(Tnum.Const(a.Member >> shift)));
            Assert.True(a.Tnum.ArithmeticRightShift(shift, 64).Contains(Tnum.Const((ulong)((long)a.Member >> shift))));
            if (shift < 32)
            {
                ulong arsh32 = (uint)((int)(uint)a.Member >> shift);
                Assert.True(a.Tnum.ArithmeticRightShift(shift, 32).Contains(Tnum.Const(arsh32)));
            }
        }, iter: 10_000);

    [Fact]
    public void A_range_holds_every_value_between_its_ends() =>
        Gen.Select(Gen.ULong, Gen.ULong, Gen.Double[0, 1]).Sample((a, b, where) =>
        {
            ulong min = Math.Min(a, b);
            ulong max = Math.Max(a, b);
            ulong inside = min + (ulong)((max - min) * where);
            var range = Tnum.Range(min, max);
            Assert.True(range.Contains(Tnum.Const(min)) && range.Contains(Tnum.Const(max)) && range.Contains(Tnum.Const(inside)));
        }, iter: 10_000);

    [Fact]
    public void The_kernel_examples_hold()
    {
        Assert.Equal(new Tnum(0, 0xff), Tnum.Range(0, 255));
        Assert.Equal(new Tnum(0, 0x7f), Tnum.Range(1, 100));
        Assert.Equal(Tnum.Unknown, Tnum.Range(0, ulong.MaxValue));
        Assert.Equal(new Tnum(0x10, 0x0f), new Tnum(0x10, 0x0f).Intersect(Tnum.Unknown));
        Assert.Equal(Tnum.Const(12), Tnum.Const(5) + Tnum.Const(7));
        Assert.Equal(new Tnum(0, 0x1ff), new Tnum(0, 0xff) + new Tnum(0, 0xff));
        Assert.Equal("(0x0; 0xffffffff)", new Tnum(0, 0xffffffff).ToString());
        Assert.True(new Tnum(0, 0xf).Contains(Tnum.Const(9)));
        Assert.False(new Tnum(0, 0xf).Contains(Tnum.Const(16)));
        Assert.True(new Tnum(8, 0x30).IsAligned(8));
        Assert.False(new Tnum(4, 0).IsAligned(8));
    }
}
