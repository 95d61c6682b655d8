using Bpf.Native.Isa;
using Bpf.Native.Semantics;
using Bpf.Native.Verifier;
using CsCheck;

namespace Bpf.Native.Tests.Verifier;

/// <summary>
/// Scalar bounds tracking (adjust_scalar_min_max_vals, reg_bounds_sync, regs_refine_cond_op) is sound: starting
/// from abstract registers that contain concrete values, the concrete result of every ALU operation (computed by
/// the engines' semantics table) lies in the abstract result, and a branch's refined registers still contain the
/// values for which the branch is taken. Plus the bounds the kernel's log shows for common instructions.
/// </summary>
public sealed class ScalarBoundsTests
{
    /// <summary>An abstract scalar made from a random interval and a random value inside it.</summary>
    private static readonly Gen<(RegisterState Reg, ulong Value)> ScalarWithValue =
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.Int[0, 4]).Select((a, b, pick, shape) =>
        {
            ulong min = Math.Min(a, b);
            ulong max = Math.Max(a, b);
            (min, max) = shape switch
            {
                0 => (min & 0xff, (min & 0xff) + (max & 0xff)),
                1 => ((ulong)(uint)min, (ulong)(uint)min + (uint)(max >> 40)),
                2 => (min, min),
                3 => (unchecked((ulong)-(long)(max & 0xffff)), (ulong)(a & 0xffff)),
                _ => (min, max),
            };
            ulong span = max - min;
            ulong value = span == ulong.MaxValue ? pick : min + pick % (span + 1);
            var reg = RegisterState.UnknownScalar();
            if (min <= max)
            {
                reg.UMin = min;
                reg.UMax = max;
            }
            else
            {
                // A signed range crossing zero.
                reg.SMin = (long)min;
                reg.SMax = (long)max;
            }
            reg.Sync();
            return (reg, value);
        });

    private static bool Contains(in RegisterState reg, ulong value) =>
        reg.VarOff.Contains(Tnum.Const(value))
        && value >= reg.UMin && value <= reg.UMax
        && (long)value >= reg.SMin && (long)value <= reg.SMax
        && (uint)value >= reg.U32Min && (uint)value <= reg.U32Max
        && (int)value >= reg.S32Min && (int)value <= reg.S32Max;

    public static TheoryData<Operation> AluOperations() => new(
        Operation.Add64, Operation.Sub64, Operation.Mul64, Operation.And64, Operation.Or64, Operation.Xor64,
        Operation.Lsh64, Operation.Rsh64, Operation.Arsh64, Operation.Div64, Operation.Mod64,
        Operation.Add32, Operation.Sub32, Operation.Mul32, Operation.And32, Operation.Or32, Operation.Xor32,
        Operation.Lsh32, Operation.Rsh32, Operation.Arsh32, Operation.Neg64, Operation.Neg32);

    [Theory]
    [MemberData(nameof(AluOperations))]
    public void Alu_results_stay_within_the_tracked_bounds(Operation operation)
    {
        var concrete = SemanticsTable.Method(operation).CreateDelegate<Func<ulong, ulong, ulong>>();
        bool is32 = OperationCatalog.Info(operation).Is32;
        var op = AluOps.Of(operation);
        bool shift = op is AluOp.Lsh or AluOp.Rsh or AluOp.Arsh;
        Gen.Select(ScalarWithValue, ScalarWithValue, Gen.Int[0, is32 ? 31 : 63]).Sample((dst, src, shiftBy) =>
        {
            Assert.True(Contains(dst.Reg, dst.Value), "generator");
            var operand = shift ? (RegisterState.KnownScalar((ulong)shiftBy), (ulong)shiftBy) : src;
            var result = dst.Reg;
            ScalarArithmetic.Apply(ref result, operand.Item1, op, is32);
            ulong value = concrete(dst.Value, operand.Item2);
            Assert.True(Contains(result, value),
                $"{operation}: {dst.Value:x} op {operand.Item2:x} = {value:x} outside {StatePrinter.Format(result, 0)}");
        }, iter: 4_000);
    }

    public static TheoryData<Operation> Comparisons() => new(
        Operation.Jeq64, Operation.Jne64, Operation.Jgt64, Operation.Jge64, Operation.Jlt64, Operation.Jle64,
        Operation.Jsgt64, Operation.Jsge64, Operation.Jslt64, Operation.Jsle64, Operation.Jset64,
        Operation.Jeq32, Operation.Jne32, Operation.Jgt32, Operation.Jge32, Operation.Jlt32, Operation.Jle32,
        Operation.Jsgt32, Operation.Jsge32, Operation.Jslt32, Operation.Jsle32, Operation.Jset32);

    [Theory]
    [MemberData(nameof(Comparisons))]
    public void Branches_keep_the_values_that_take_them(Operation operation)
    {
        var concrete = SemanticsTable.Method(operation).CreateDelegate<Func<ulong, ulong, bool>>();
        bool is32 = OperationCatalog.Info(operation).Is32;
        var condition = BranchConditions.Of(operation);
        Gen.Select(ScalarWithValue, ScalarWithValue, Gen.Bool).Sample((a, b, constant) =>
        {
            var src = constant ? (RegisterState.KnownScalar(b.Value), b.Value) : b;
            bool taken = concrete(a.Value, src.Item2);
            int prediction = BranchAnalysis.IsBranchTaken(a.Reg, src.Item1, condition, is32);
            Assert.True(prediction == -1 || prediction == (taken ? 1 : 0), $"{operation} predicted {prediction} for {a.Value:x}, {src.Item2:x}");
            var takenDst = a.Reg;
            var takenSrc = src.Item1;
            var fallDst = a.Reg;
            var fallSrc = src.Item1;
            BranchAnalysis.SetMinMax(ref takenDst, ref takenSrc, ref fallDst, ref fallSrc, condition, is32);
            var (dst, srcReg) = taken ? (takenDst, takenSrc) : (fallDst, fallSrc);
            Assert.True(Contains(dst, a.Value), $"{operation} ({taken}): {a.Value:x} outside {StatePrinter.Format(dst, 0)}");
            Assert.True(Contains(srcReg, src.Item2), $"{operation} ({taken}): {src.Item2:x} outside {StatePrinter.Format(srcReg, 0)}");
        }, iter: 4_000);
    }

    public static TheoryData<Operation> ByteSwaps() => new(
        Operation.ToBe16, Operation.ToBe32, Operation.ToBe64, Operation.ToLe16, Operation.ToLe32, Operation.ToLe64,
        Operation.Swap16, Operation.Swap32, Operation.Swap64);

    [Theory]
    [MemberData(nameof(ByteSwaps))]
    public void Byte_swaps_stay_within_the_tracked_bounds(Operation operation)
    {
        var concrete = SemanticsTable.Method(operation).CreateDelegate<Func<ulong, ulong, ulong>>();
        int width = OperationCatalog.Info(operation).ImmediateTag;
        bool swap = operation is not (Operation.ToLe16 or Operation.ToLe32 or Operation.ToLe64);
        ScalarWithValue.Sample(dst =>
        {
            var result = dst.Reg;
            ScalarArithmetic.ByteSwap(ref result, width, swap);
            ulong value = concrete(dst.Value, 0);
            Assert.True(Contains(result, value), $"{operation}: {dst.Value:x} -> {value:x} outside {StatePrinter.Format(result, 0)}");
        }, iter: 4_000);
    }

    [Fact]
    public void Byte_swaps_and_negation_have_the_kernels_bounds()
    {
        var low = RegisterState.UnknownScalar();
        low.CoerceToSize(1);
        var swapped = low;
        ScalarArithmetic.ByteSwap(ref swapped, 16, swap: true);
        Assert.Equal("scalar(smin=smin32=0,smax=umax=smax32=umax32=0xff00,var_off=(0x0; 0xff00))", StatePrinter.Format(swapped, 0));
        var negated = low;
        ScalarArithmetic.Apply(ref negated, RegisterState.KnownScalar(0), AluOp.Neg, alu32: false);
        Assert.Equal("scalar(smin=smin32=-255,smax=smax32=0)", StatePrinter.Format(negated, 0));
        var eleven = RegisterState.KnownScalar(11);
        ScalarArithmetic.Apply(ref eleven, RegisterState.KnownScalar(0), AluOp.Neg, alu32: true);
        Assert.Equal("0xfffffff5", StatePrinter.Format(eleven, 0));
    }

    [Fact]
    public void A_zero_extending_32_bit_load_has_the_kernels_bounds()
    {
        var reg = RegisterState.UnknownScalar();
        reg.CoerceToSize(4);

        Assert.Equal("scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))", StatePrinter.Format(reg, 0));
    }

    [Fact]
    public void A_byte_load_shifted_and_ored_has_the_kernels_bounds()
    {
        var low = RegisterState.UnknownScalar();
        low.CoerceToSize(1);
        var high = low;
        ScalarArithmetic.Apply(ref high, RegisterState.KnownScalar(8), AluOp.Lsh, alu32: false);
        Assert.Equal("scalar(smin=smin32=0,smax=umax=smax32=umax32=0xff00,var_off=(0x0; 0xff00))", StatePrinter.Format(high, 0));
        ScalarArithmetic.Apply(ref high, low, AluOp.Or, alu32: false);
        Assert.Equal("scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff))", StatePrinter.Format(high, 0));
    }

    [Fact]
    public void An_unsigned_test_narrows_both_sides_like_the_kernels_log_shows()
    {
        var reg = RegisterState.UnknownScalar();
        reg.CoerceToSize(4);
        var taken = reg;
        var fall = reg;
        var k1 = RegisterState.KnownScalar(100);
        var k2 = k1;
        BranchAnalysis.SetMinMax(ref taken, ref k1, ref fall, ref k2, BranchCondition.Jgt, is32: false);

        Assert.Equal("scalar(smin=umin=umin32=101,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))", StatePrinter.Format(taken, 0));
        Assert.Equal("scalar(smin=smin32=0,smax=umax=smax32=umax32=100,var_off=(0x0; 0x7f))", StatePrinter.Format(fall, 0));
    }
}
