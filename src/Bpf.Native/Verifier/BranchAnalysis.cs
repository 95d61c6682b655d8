using System.Numerics;

namespace Bpf.Native.Verifier;

/// <summary>
/// What a conditional jump tells the verifier (kernel/bpf/verifier.c): whether the branch is decided by what is
/// known (is_branch_taken, is_scalar_branch_taken, is_pkt_ptr_branch_taken), and the narrower ranges each side of
/// an undecided scalar comparison learns (reg_set_min_max, regs_refine_cond_op).
/// </summary>
internal static class BranchAnalysis
{
    /// <summary>The packet pointer is beyond the end by at least one byte (BEYOND_PKT_END) or at it (AT_PKT_END).</summary>
    public const int BeyondPacketEnd = -2;
    public const int AtPacketEnd = -1;

    /// <summary>1: always taken, 0: never taken, -1: unknown.</summary>
    public static int IsBranchTaken(in RegisterState reg1, in RegisterState reg2, BranchCondition condition, bool is32)
    {
        if (reg1.IsAnyPacketPointer && reg2.IsAnyPacketPointer && !is32)
        {
            return IsPacketPointerBranchTaken(reg1, reg2, condition);
        }
        if (reg1.IsPointer || reg2.IsPointer)
        {
            var pointer = reg1;
            var other = reg2;
            if (!other.IsConst(is32))
            {
                condition = BranchConditions.Flip(condition);
                (pointer, other) = (other, pointer);
            }
            if (!other.IsConst(is32) || !IsNotNull(pointer) || other.ConstValue(is32) != 0)
            {
                return -1;
            }
            return condition switch
            {
                BranchCondition.Jeq => 0,
                BranchCondition.Jne => 1,
                _ => -1,
            };
        }
        return IsScalarBranchTaken(reg1, reg2, condition, is32);
    }

    /// <summary>reg_not_null: pointer kinds that are never 0.</summary>
    public static bool IsNotNull(in RegisterState reg) =>
        !reg.MaybeNull && reg.Kind is RegisterKind.MapValue or RegisterKind.SockCommon or RegisterKind.Memory
            or RegisterKind.ConstMapPointer;

    private static int IsPacketPointerBranchTaken(in RegisterState dst, in RegisterState src, BranchCondition condition)
    {
        RegisterState packet;
        if (src.Kind == RegisterKind.PacketEnd)
        {
            packet = dst;
        }
        else if (dst.Kind == RegisterKind.PacketEnd)
        {
            packet = src;
            condition = BranchConditions.Flip(condition);
        }
        else
        {
            return -1;
        }
        if (packet.Range >= 0)
        {
            return -1;
        }
        switch (condition)
        {
            case BranchCondition.Jle or BranchCondition.Jgt:
                if (packet.Range == BeyondPacketEnd)
                {
                    return condition == BranchCondition.Jgt ? 1 : 0;
                }
                break;
            case BranchCondition.Jlt or BranchCondition.Jge:
                if (packet.Range is BeyondPacketEnd or AtPacketEnd)
                {
                    return condition == BranchCondition.Jge ? 1 : 0;
                }
                break;
        }
        return -1;
    }

    private static int IsScalarBranchTaken(in RegisterState reg1, in RegisterState reg2, BranchCondition condition, bool is32)
    {
        var t1 = is32 ? reg1.VarOff.Subreg : reg1.VarOff;
        var t2 = is32 ? reg2.VarOff.Subreg : reg2.VarOff;
        ulong umin1 = is32 ? reg1.U32Min : reg1.UMin;
        ulong umax1 = is32 ? reg1.U32Max : reg1.UMax;
        long smin1 = is32 ? reg1.S32Min : reg1.SMin;
        long smax1 = is32 ? reg1.S32Max : reg1.SMax;
        ulong umin2 = is32 ? reg2.U32Min : reg2.UMin;
        ulong umax2 = is32 ? reg2.U32Max : reg2.UMax;
        long smin2 = is32 ? reg2.S32Min : reg2.SMin;
        long smax2 = is32 ? reg2.S32Max : reg2.SMax;

        switch (condition)
        {
            case BranchCondition.Jeq:
            case BranchCondition.Jne:
            {
                int equal = condition == BranchCondition.Jeq ? 1 : 0;
                if (t1.IsConst && t2.IsConst)
                {
                    return t1.Value == t2.Value ? equal : 1 - equal;
                }
                if (umin1 > umax2 || umax1 < umin2 || smin1 > smax2 || smax1 < smin2)
                {
                    return 1 - equal;
                }
                if (!is32 && (reg1.U32Min > reg2.U32Max || reg1.U32Max < reg2.U32Min
                    || reg1.S32Min > reg2.S32Max || reg1.S32Max < reg2.S32Min))
                {
                    return 1 - equal;
                }
                // Bits known to differ.
                if (((t1.Value ^ t2.Value) & ~(t1.Mask | t2.Mask)) != 0)
                {
                    return 1 - equal;
                }
                break;
            }
            case BranchCondition.Jset:
            {
                var a = t1;
                var b = t2;
                if (!reg2.IsConst(is32))
                {
                    if (!reg1.IsConst(is32))
                    {
                        return -1;
                    }
                    (a, b) = (b, a);
                }
                if ((~a.Mask & a.Value & b.Value) != 0)
                {
                    return 1;
                }
                if (((a.Mask | a.Value) & b.Value) == 0)
                {
                    return 0;
                }
                break;
            }
            case BranchCondition.Jgt:
                if (umin1 > umax2)
                {
                    return 1;
                }
                if (umax1 <= umin2)
                {
                    return 0;
                }
                break;
            case BranchCondition.Jsgt:
                if (smin1 > smax2)
                {
                    return 1;
                }
                if (smax1 <= smin2)
                {
                    return 0;
                }
                break;
            case BranchCondition.Jlt:
                if (umax1 < umin2)
                {
                    return 1;
                }
                if (umin1 >= umax2)
                {
                    return 0;
                }
                break;
            case BranchCondition.Jslt:
                if (smax1 < smin2)
                {
                    return 1;
                }
                if (smin1 >= smax2)
                {
                    return 0;
                }
                break;
            case BranchCondition.Jge:
                if (umin1 >= umax2)
                {
                    return 1;
                }
                if (umax1 < umin2)
                {
                    return 0;
                }
                break;
            case BranchCondition.Jsge:
                if (smin1 >= smax2)
                {
                    return 1;
                }
                if (smax1 < smin2)
                {
                    return 0;
                }
                break;
            case BranchCondition.Jle:
                if (umax1 <= umin2)
                {
                    return 1;
                }
                if (umin1 > umax2)
                {
                    return 0;
                }
                break;
            case BranchCondition.Jsle:
                if (smax1 <= smin2)
                {
                    return 1;
                }
                if (smin1 > smax2)
                {
                    return 0;
                }
                break;
        }
        return -1;
    }

    /// <summary>
    /// reg_set_min_max: narrow two scalars for each side of the jump. The true registers are the taken branch's copies.
    /// Returns false when a side's ranges came out empty (that side cannot happen).
    /// </summary>
    public static void SetMinMax(ref RegisterState true1, ref RegisterState true2, ref RegisterState false1, ref RegisterState false2,
        BranchCondition condition, bool is32)
    {
        if (!false1.IsScalar || !false2.IsScalar)
        {
            return;
        }
        RefineCondition(ref false1, ref false2, BranchConditions.Reverse(condition), is32);
        false1.Sync();
        false2.Sync();
        RefineCondition(ref true1, ref true2, condition, is32);
        true1.Sync();
        true2.Sync();
    }

    /// <summary>regs_refine_cond_op: what "reg1 condition reg2" being true says about both.</summary>
    private static void RefineCondition(ref RegisterState reg1, ref RegisterState reg2, BranchCondition condition, bool is32)
    {
        if (condition is BranchCondition.Jge or BranchCondition.Jgt or BranchCondition.Jsge or BranchCondition.Jsgt)
        {
            RefineCondition(ref reg2, ref reg1, BranchConditions.Flip(condition), is32);
            return;
        }
        switch (condition)
        {
            case BranchCondition.Jeq:
                if (is32)
                {
                    reg1.U32Min = Math.Max(reg1.U32Min, reg2.U32Min);
                    reg1.U32Max = Math.Min(reg1.U32Max, reg2.U32Max);
                    reg1.S32Min = Math.Max(reg1.S32Min, reg2.S32Min);
                    reg1.S32Max = Math.Min(reg1.S32Max, reg2.S32Max);
                    reg2.U32Min = reg1.U32Min;
                    reg2.U32Max = reg1.U32Max;
                    reg2.S32Min = reg1.S32Min;
                    reg2.S32Max = reg1.S32Max;
                    var t = reg1.VarOff.Subreg.Intersect(reg2.VarOff.Subreg);
                    reg1.VarOff = reg1.VarOff.WithSubreg(t);
                    reg2.VarOff = reg2.VarOff.WithSubreg(t);
                }
                else
                {
                    reg1.UMin = Math.Max(reg1.UMin, reg2.UMin);
                    reg1.UMax = Math.Min(reg1.UMax, reg2.UMax);
                    reg1.SMin = Math.Max(reg1.SMin, reg2.SMin);
                    reg1.SMax = Math.Min(reg1.SMax, reg2.SMax);
                    reg2.UMin = reg1.UMin;
                    reg2.UMax = reg1.UMax;
                    reg2.SMin = reg1.SMin;
                    reg2.SMax = reg1.SMax;
                    reg1.VarOff = reg1.VarOff.Intersect(reg2.VarOff);
                    reg2.VarOff = reg1.VarOff;
                }
                break;
            case BranchCondition.Jne:
            {
                if (!reg2.IsConst(is32))
                {
                    if (!reg1.IsConst(is32))
                    {
                        break;
                    }
                    RefineCondition(ref reg2, ref reg1, condition, is32);
                    break;
                }
                ulong value = reg2.ConstValue(is32);
                // The constant is an edge of reg1's range: move the edge.
                if (is32)
                {
                    if (reg1.U32Min == (uint)value)
                    {
                        reg1.U32Min++;
                    }
                    if (reg1.U32Max == (uint)value)
                    {
                        reg1.U32Max--;
                    }
                    if (reg1.S32Min == (int)value)
                    {
                        reg1.S32Min++;
                    }
                    if (reg1.S32Max == (int)value)
                    {
                        reg1.S32Max--;
                    }
                }
                else
                {
                    if (reg1.UMin == value)
                    {
                        reg1.UMin++;
                    }
                    if (reg1.UMax == value)
                    {
                        reg1.UMax--;
                    }
                    if (reg1.SMin == (long)value)
                    {
                        reg1.SMin++;
                    }
                    if (reg1.SMax == (long)value)
                    {
                        reg1.SMax--;
                    }
                }
                break;
            }
            case BranchCondition.Jset:
            {
                if (!reg2.IsConst(is32))
                {
                    if (!reg1.IsConst(is32))
                    {
                        break;
                    }
                    RefineCondition(ref reg2, ref reg1, condition, is32);
                    break;
                }
                ulong value = reg2.ConstValue(is32);
                // Only a single bit says which bit is set.
                if (!BitOperations.IsPow2(value))
                {
                    break;
                }
                reg1.VarOff = is32
                    ? reg1.VarOff.WithSubreg(reg1.VarOff.Subreg | Tnum.Const(value))
                    : reg1.VarOff | Tnum.Const(value);
                break;
            }
            case BranchCondition.JsetNot:
            {
                if (!reg2.IsConst(is32))
                {
                    if (!reg1.IsConst(is32))
                    {
                        break;
                    }
                    RefineCondition(ref reg2, ref reg1, condition, is32);
                    break;
                }
                ulong value = reg2.ConstValue(is32);
                reg1.MarkUnbounded();
                reg1.VarOff = is32
                    ? reg1.VarOff.WithSubreg(reg1.VarOff.Subreg & Tnum.Const(~value))
                    : reg1.VarOff & Tnum.Const(~value);
                break;
            }
            case BranchCondition.Jle:
                if (is32)
                {
                    reg1.U32Max = Math.Min(reg1.U32Max, reg2.U32Max);
                    reg2.U32Min = Math.Max(reg1.U32Min, reg2.U32Min);
                }
                else
                {
                    reg1.UMax = Math.Min(reg1.UMax, reg2.UMax);
                    reg2.UMin = Math.Max(reg1.UMin, reg2.UMin);
                }
                break;
            case BranchCondition.Jlt:
                if (is32)
                {
                    reg1.U32Max = Math.Min(reg1.U32Max, unchecked(reg2.U32Max - 1));
                    reg2.U32Min = Math.Max(unchecked(reg1.U32Min + 1), reg2.U32Min);
                }
                else
                {
                    reg1.UMax = Math.Min(reg1.UMax, unchecked(reg2.UMax - 1));
                    reg2.UMin = Math.Max(unchecked(reg1.UMin + 1), reg2.UMin);
                }
                break;
            case BranchCondition.Jsle:
                if (is32)
                {
                    reg1.S32Max = Math.Min(reg1.S32Max, reg2.S32Max);
                    reg2.S32Min = Math.Max(reg1.S32Min, reg2.S32Min);
                }
                else
                {
                    reg1.SMax = Math.Min(reg1.SMax, reg2.SMax);
                    reg2.SMin = Math.Max(reg1.SMin, reg2.SMin);
                }
                break;
            case BranchCondition.Jslt:
                if (is32)
                {
                    reg1.S32Max = Math.Min(reg1.S32Max, unchecked(reg2.S32Max - 1));
                    reg2.S32Min = Math.Max(unchecked(reg1.S32Min + 1), reg2.S32Min);
                }
                else
                {
                    reg1.SMax = Math.Min(reg1.SMax, unchecked(reg2.SMax - 1));
                    reg2.SMin = Math.Max(unchecked(reg1.SMin + 1), reg2.SMin);
                }
                break;
        }
    }
}
