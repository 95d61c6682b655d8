namespace Bpf.Native.Verifier;

/// <summary>
/// The bounds of a scalar after an ALU operation (kernel/bpf/verifier.c, adjust_scalar_min_max_vals and the
/// scalar[32]_min_max_* functions): add, sub, neg, mul, and, or, xor and shifts by a constant are tracked in both the
/// 32-bit and 64-bit ranges and the tnum; anything else (division, modulo, shifts by a variable or out-of-range
/// amount, byte swaps) gives an unknown scalar.
/// </summary>
internal static class ScalarArithmetic
{
    /// <summary>is_safe_to_compute_dst_reg_range.</summary>
    private static bool IsSafeToCompute(AluOp op, in RegisterState src, bool alu32)
    {
        int bitness = alu32 ? 32 : 64;
        bool srcIsConst = alu32
            ? src.VarOff.SubregIsConst && src.S32Min == src.S32Max && src.U32Min == src.U32Max
            : src.VarOff.IsConst && src.SMin == src.SMax && src.UMin == src.UMax;
        return op switch
        {
            AluOp.Add or AluOp.Sub or AluOp.Neg or AluOp.And or AluOp.Xor or AluOp.Or or AluOp.Mul => true,
            AluOp.Lsh or AluOp.Rsh or AluOp.Arsh => srcIsConst && src.UMax < (ulong)bitness,
            _ => false,
        };
    }

    /// <summary>
    /// scalar_byte_swap: bswap (ALU64) and to-big-endian on this little-endian machine swap the low
    /// <paramref name="widthBits"/> bits' bytes in the tnum and forget the ranges; to-little-endian only truncates.
    /// </summary>
    public static void ByteSwap(ref RegisterState dst, int widthBits, bool swap)
    {
        if (swap)
        {
            dst.VarOff = dst.VarOff.ByteSwap(widthBits);
            dst.MarkUnbounded();
        }
        if (widthBits is 16 or 32)
        {
            dst.CoerceToSize(widthBits / 8);
        }
        else
        {
            dst.Sync();
        }
    }

    public static void Apply(ref RegisterState dst, RegisterState src, AluOp op, bool alu32)
    {
        if (!IsSafeToCompute(op, src, alu32))
        {
            dst.MarkUnknown();
            return;
        }
        switch (op)
        {
            case AluOp.Add:
                Add32(ref dst, src);
                Add64(ref dst, src);
                dst.VarOff += src.VarOff;
                break;
            case AluOp.Sub:
                Sub32(ref dst, src);
                Sub64(ref dst, src);
                dst.VarOff -= src.VarOff;
                break;
            case AluOp.Neg:
            {
                var original = dst;
                dst.MarkKnown(0);
                Sub32(ref dst, original);
                Sub64(ref dst, original);
                dst.VarOff = original.VarOff.Negate();
                break;
            }
            case AluOp.Mul:
                dst.VarOff *= src.VarOff;
                Mul32(ref dst, src);
                Mul64(ref dst, src);
                break;
            case AluOp.And:
                dst.VarOff &= src.VarOff;
                And32(ref dst, src);
                And64(ref dst, src);
                break;
            case AluOp.Or:
                dst.VarOff |= src.VarOff;
                Or32(ref dst, src);
                Or64(ref dst, src);
                break;
            case AluOp.Xor:
                dst.VarOff ^= src.VarOff;
                Xor32(ref dst, src);
                Xor64(ref dst, src);
                break;
            case AluOp.Lsh:
                if (alu32)
                {
                    Lsh32(ref dst, src);
                }
                else
                {
                    Lsh64(ref dst, src);
                }
                break;
            case AluOp.Rsh:
                if (alu32)
                {
                    Rsh32(ref dst, src);
                }
                else
                {
                    Rsh64(ref dst, src);
                }
                break;
            case AluOp.Arsh:
                if (alu32)
                {
                    Arsh32(ref dst, src);
                }
                else
                {
                    Arsh64(ref dst, src);
                }
                break;
        }
        if (alu32)
        {
            dst.ZeroExtend32To64();
        }
        dst.Sync();
    }

    private static bool AddOverflows(long a, long b, out long sum)
    {
        sum = unchecked(a + b);
        return ((a ^ sum) & (b ^ sum)) < 0;
    }

    private static bool AddOverflows(int a, int b, out int sum)
    {
        sum = unchecked(a + b);
        return ((a ^ sum) & (b ^ sum)) < 0;
    }

    private static bool SubOverflows(long a, long b, out long difference)
    {
        difference = unchecked(a - b);
        return ((a ^ b) & (a ^ difference)) < 0;
    }

    private static bool SubOverflows(int a, int b, out int difference)
    {
        difference = unchecked(a - b);
        return ((a ^ b) & (a ^ difference)) < 0;
    }

    private static void Add32(ref RegisterState dst, in RegisterState src)
    {
        if (AddOverflows(dst.S32Min, src.S32Min, out int smin) | AddOverflows(dst.S32Max, src.S32Max, out int smax))
        {
            smin = int.MinValue;
            smax = int.MaxValue;
        }
        dst.S32Min = smin;
        dst.S32Max = smax;
        uint umin = unchecked(dst.U32Min + src.U32Min);
        uint umax = unchecked(dst.U32Max + src.U32Max);
        bool minOverflow = umin < dst.U32Min;
        bool maxOverflow = umax < dst.U32Max;
        // All additions overflowing, or none: the wrapped bounds hold. Some overflowing: unknown.
        if (!minOverflow && maxOverflow)
        {
            umin = 0;
            umax = uint.MaxValue;
        }
        dst.U32Min = umin;
        dst.U32Max = umax;
    }

    private static void Add64(ref RegisterState dst, in RegisterState src)
    {
        if (AddOverflows(dst.SMin, src.SMin, out long smin) | AddOverflows(dst.SMax, src.SMax, out long smax))
        {
            smin = long.MinValue;
            smax = long.MaxValue;
        }
        dst.SMin = smin;
        dst.SMax = smax;
        ulong umin = unchecked(dst.UMin + src.UMin);
        ulong umax = unchecked(dst.UMax + src.UMax);
        bool minOverflow = umin < dst.UMin;
        bool maxOverflow = umax < dst.UMax;
        if (!minOverflow && maxOverflow)
        {
            umin = 0;
            umax = ulong.MaxValue;
        }
        dst.UMin = umin;
        dst.UMax = umax;
    }

    private static void Sub32(ref RegisterState dst, in RegisterState src)
    {
        if (SubOverflows(dst.S32Min, src.S32Max, out int smin) | SubOverflows(dst.S32Max, src.S32Min, out int smax))
        {
            smin = int.MinValue;
            smax = int.MaxValue;
        }
        dst.S32Min = smin;
        dst.S32Max = smax;
        bool minUnderflow = dst.U32Min < src.U32Max;
        bool maxUnderflow = dst.U32Max < src.U32Min;
        uint umin = unchecked(dst.U32Min - src.U32Max);
        uint umax = unchecked(dst.U32Max - src.U32Min);
        if (minUnderflow && !maxUnderflow)
        {
            umin = 0;
            umax = uint.MaxValue;
        }
        dst.U32Min = umin;
        dst.U32Max = umax;
    }

    private static void Sub64(ref RegisterState dst, in RegisterState src)
    {
        if (SubOverflows(dst.SMin, src.SMax, out long smin) | SubOverflows(dst.SMax, src.SMin, out long smax))
        {
            smin = long.MinValue;
            smax = long.MaxValue;
        }
        dst.SMin = smin;
        dst.SMax = smax;
        bool minUnderflow = dst.UMin < src.UMax;
        bool maxUnderflow = dst.UMax < src.UMin;
        ulong umin = unchecked(dst.UMin - src.UMax);
        ulong umax = unchecked(dst.UMax - src.UMin);
        if (minUnderflow && !maxUnderflow)
        {
            umin = 0;
            umax = ulong.MaxValue;
        }
        dst.UMin = umin;
        dst.UMax = umax;
    }

    private static void Mul32(ref RegisterState dst, in RegisterState src)
    {
        ulong umax = (ulong)dst.U32Max * src.U32Max;
        ulong umin = (ulong)dst.U32Min * src.U32Min;
        if (umax > uint.MaxValue || umin > uint.MaxValue)
        {
            dst.U32Min = 0;
            dst.U32Max = uint.MaxValue;
        }
        else
        {
            dst.U32Min = (uint)umin;
            dst.U32Max = (uint)umax;
        }
        Span<long> products =
        [
            (long)dst.S32Min * src.S32Min, (long)dst.S32Min * src.S32Max,
            (long)dst.S32Max * src.S32Min, (long)dst.S32Max * src.S32Max,
        ];
        long min = long.MaxValue;
        long max = long.MinValue;
        bool overflow = false;
        foreach (long product in products)
        {
            overflow |= product < int.MinValue || product > int.MaxValue;
            min = Math.Min(min, product);
            max = Math.Max(max, product);
        }
        dst.S32Min = overflow ? int.MinValue : (int)min;
        dst.S32Max = overflow ? int.MaxValue : (int)max;
    }

    private static void Mul64(ref RegisterState dst, in RegisterState src)
    {
        ulong umaxHigh = Math.BigMul(dst.UMax, src.UMax, out ulong umax);
        ulong uminHigh = Math.BigMul(dst.UMin, src.UMin, out ulong umin);
        if (umaxHigh != 0 || uminHigh != 0)
        {
            dst.UMin = 0;
            dst.UMax = ulong.MaxValue;
        }
        else
        {
            dst.UMin = umin;
            dst.UMax = umax;
        }
        Span<Int128> products =
        [
            (Int128)dst.SMin * src.SMin, (Int128)dst.SMin * src.SMax,
            (Int128)dst.SMax * src.SMin, (Int128)dst.SMax * src.SMax,
        ];
        Int128 min = Int128.MaxValue;
        Int128 max = Int128.MinValue;
        bool overflow = false;
        foreach (var product in products)
        {
            overflow |= product < long.MinValue || product > long.MaxValue;
            min = Int128.Min(min, product);
            max = Int128.Max(max, product);
        }
        dst.SMin = overflow ? long.MinValue : (long)min;
        dst.SMax = overflow ? long.MaxValue : (long)max;
    }

    private static void SignedFromUnsigned32(ref RegisterState dst)
    {
        if ((int)dst.U32Min <= (int)dst.U32Max)
        {
            dst.S32Min = (int)dst.U32Min;
            dst.S32Max = (int)dst.U32Max;
        }
        else
        {
            dst.S32Min = int.MinValue;
            dst.S32Max = int.MaxValue;
        }
    }

    private static void SignedFromUnsigned64(ref RegisterState dst)
    {
        if ((long)dst.UMin <= (long)dst.UMax)
        {
            dst.SMin = (long)dst.UMin;
            dst.SMax = (long)dst.UMax;
        }
        else
        {
            dst.SMin = long.MinValue;
            dst.SMax = long.MaxValue;
        }
    }

    private static void And32(ref RegisterState dst, in RegisterState src)
    {
        var var32 = dst.VarOff.Subreg;
        if (src.VarOff.SubregIsConst && dst.VarOff.SubregIsConst)
        {
            dst.SetKnown32(var32.Value);
            return;
        }
        dst.U32Min = (uint)var32.Value;
        dst.U32Max = Math.Min(dst.U32Max, src.U32Max);
        SignedFromUnsigned32(ref dst);
    }

    private static void And64(ref RegisterState dst, in RegisterState src)
    {
        if (src.VarOff.IsConst && dst.VarOff.IsConst)
        {
            dst.SetKnown(dst.VarOff.Value);
            return;
        }
        dst.UMin = dst.VarOff.Value;
        dst.UMax = Math.Min(dst.UMax, src.UMax);
        SignedFromUnsigned64(ref dst);
        dst.UpdateBounds();
    }

    private static void Or32(ref RegisterState dst, in RegisterState src)
    {
        var var32 = dst.VarOff.Subreg;
        if (src.VarOff.SubregIsConst && dst.VarOff.SubregIsConst)
        {
            dst.SetKnown32(var32.Value);
            return;
        }
        dst.U32Min = Math.Max(dst.U32Min, src.U32Min);
        dst.U32Max = (uint)(var32.Value | var32.Mask);
        SignedFromUnsigned32(ref dst);
    }

    private static void Or64(ref RegisterState dst, in RegisterState src)
    {
        if (src.VarOff.IsConst && dst.VarOff.IsConst)
        {
            dst.SetKnown(dst.VarOff.Value);
            return;
        }
        dst.UMin = Math.Max(dst.UMin, src.UMin);
        dst.UMax = dst.VarOff.Value | dst.VarOff.Mask;
        SignedFromUnsigned64(ref dst);
        dst.UpdateBounds();
    }

    private static void Xor32(ref RegisterState dst, in RegisterState src)
    {
        var var32 = dst.VarOff.Subreg;
        if (src.VarOff.SubregIsConst && dst.VarOff.SubregIsConst)
        {
            dst.SetKnown32(var32.Value);
            return;
        }
        dst.U32Min = (uint)var32.Value;
        dst.U32Max = (uint)(var32.Value | var32.Mask);
        SignedFromUnsigned32(ref dst);
    }

    private static void Xor64(ref RegisterState dst, in RegisterState src)
    {
        if (src.VarOff.IsConst && dst.VarOff.IsConst)
        {
            dst.SetKnown(dst.VarOff.Value);
            return;
        }
        dst.UMin = dst.VarOff.Value;
        dst.UMax = dst.VarOff.Value | dst.VarOff.Mask;
        SignedFromUnsigned64(ref dst);
        dst.UpdateBounds();
    }

    private static void Lsh32Bounds(ref RegisterState dst, ulong uminShift, ulong umaxShift)
    {
        dst.S32Min = int.MinValue;
        dst.S32Max = int.MaxValue;
        if (umaxShift > 31 || dst.U32Max > 1UL << (31 - (int)umaxShift))
        {
            dst.U32Min = 0;
            dst.U32Max = uint.MaxValue;
        }
        else
        {
            dst.U32Min <<= (int)uminShift;
            dst.U32Max <<= (int)umaxShift;
        }
    }

    private static void Lsh32(ref RegisterState dst, in RegisterState src)
    {
        var subreg = dst.VarOff.Subreg;
        Lsh32Bounds(ref dst, src.U32Min, src.U32Max);
        dst.VarOff = subreg.LeftShift((int)src.U32Min).Subreg;
        dst.Mark64Unbounded();
        dst.Update32Bounds();
    }

    private static void Lsh64(ref RegisterState dst, in RegisterState src)
    {
        ulong uminShift = src.UMin;
        ulong umaxShift = src.UMax;
        // <<32 is the compiler's way to sign-extend a subregister (<<32 s>>32): keep non-negative 32-bit bounds.
        dst.SMax = uminShift == 32 && umaxShift == 32 && dst.S32Max >= 0 ? (long)dst.S32Max << 32 : long.MaxValue;
        dst.SMin = uminShift == 32 && umaxShift == 32 && dst.S32Min >= 0 ? (long)dst.S32Min << 32 : long.MinValue;
        if (dst.UMax > 1UL << (63 - (int)umaxShift))
        {
            dst.UMin = 0;
            dst.UMax = ulong.MaxValue;
        }
        else
        {
            dst.UMin <<= (int)uminShift;
            dst.UMax <<= (int)umaxShift;
        }
        Lsh32Bounds(ref dst, uminShift, umaxShift);
        dst.VarOff = dst.VarOff.LeftShift((int)uminShift);
        dst.UpdateBounds();
    }

    private static void Rsh32(ref RegisterState dst, in RegisterState src)
    {
        var subreg = dst.VarOff.Subreg;
        dst.S32Min = int.MinValue;
        dst.S32Max = int.MaxValue;
        dst.VarOff = subreg.RightShift((int)src.U32Min);
        dst.U32Min >>= (int)src.U32Max;
        dst.U32Max >>= (int)src.U32Min;
        dst.Mark64Unbounded();
        dst.Update32Bounds();
    }

    private static void Rsh64(ref RegisterState dst, in RegisterState src)
    {
        dst.SMin = long.MinValue;
        dst.SMax = long.MaxValue;
        dst.VarOff = dst.VarOff.RightShift((int)src.UMin);
        dst.UMin >>= (int)src.UMax;
        dst.UMax >>= (int)src.UMin;
        dst.Mark32Unbounded();
        dst.UpdateBounds();
    }

    private static void Arsh32(ref RegisterState dst, in RegisterState src)
    {
        int shift = (int)src.U32Min;
        dst.S32Min >>= shift;
        dst.S32Max >>= shift;
        dst.VarOff = dst.VarOff.Subreg.ArithmeticRightShift(shift, 32);
        dst.U32Min = 0;
        dst.U32Max = uint.MaxValue;
        dst.Mark64Unbounded();
        dst.Update32Bounds();
    }

    private static void Arsh64(ref RegisterState dst, in RegisterState src)
    {
        int shift = (int)src.UMin;
        dst.SMin >>= shift;
        dst.SMax >>= shift;
        dst.VarOff = dst.VarOff.ArithmeticRightShift(shift, 64);
        dst.UMin = 0;
        dst.UMax = ulong.MaxValue;
        dst.Mark32Unbounded();
        dst.UpdateBounds();
    }
}
