using Bpf.Native.Isa;
using Bpf.Native.Maps;

namespace Bpf.Native.Verifier;

/// <summary>ALU instructions (check_alu_op, adjust_reg_min_max_vals, adjust_ptr_min_max_vals), lddw and LD_ABS/IND.</summary>
internal sealed partial class KernelVerifier
{
    private void CheckAlu(Instruction insn)
    {
        var op = AluOps.Of(insn.Operation);
        bool alu64 = !insn.Info.Is32 && insn.Info.Class == InstructionClass.Alu64;
        bool register = insn.Source == OperandSource.Register;
        if (op is AluOp.End or AluOp.Neg)
        {
            CheckRead(insn.Dst);
            if (Reg(insn.Dst).IsScalar)
            {
                CheckWrite(insn.Dst);
                ref var dst = ref Reg(insn.Dst);
                dst.Id = 0;
                dst.AddConst = false;
                dst.Off = 0;
                if (op == AluOp.End)
                {
                    bool swap = insn.Operation is Operation.Swap16 or Operation.Swap32 or Operation.Swap64
                        or Operation.ToBe16 or Operation.ToBe32 or Operation.ToBe64;
                    ScalarArithmetic.ByteSwap(ref dst, (int)insn.Info.ImmediateTag, swap);
                }
                else
                {
                    ScalarArithmetic.Apply(ref dst, RegisterState.KnownScalar(0), op, !alu64);
                }
            }
            else
            {
                WriteUnknown(insn.Dst);
            }
            return;
        }
        if (op == AluOp.Mov)
        {
            CheckMove(insn, alu64, register);
            return;
        }
        if (register)
        {
            CheckRead(insn.Src);
        }
        CheckRead(insn.Dst);
        if (op is AluOp.Div or AluOp.Mod && !register && insn.Immediate == 0)
        {
            throw Reject("div by zero");
        }
        if (op is AluOp.Lsh or AluOp.Rsh or AluOp.Arsh && !register)
        {
            int size = alu64 ? 64 : 32;
            if (insn.Immediate < 0 || insn.Immediate >= size)
            {
                throw Reject($"invalid shift {insn.Immediate}");
            }
        }
        CheckWrite(insn.Dst);
        AdjustRegister(insn, op, alu64, register);
    }

    private void CheckMove(Instruction insn, bool alu64, bool register)
    {
        if (register)
        {
            CheckRead(insn.Src);
        }
        CheckWrite(insn.Dst);
        ref var dst = ref Reg(insn.Dst);
        if (!register)
        {
            dst = RegisterState.KnownScalar(alu64 ? (ulong)insn.Immediate : (uint)insn.Immediate);
            return;
        }
        var src = Reg(insn.Src);
        int signExtendBits = insn.Operation switch
        {
            Operation.MovSx8To64 or Operation.MovSx8To32 => 8,
            Operation.MovSx16To64 or Operation.MovSx16To32 => 16,
            Operation.MovSx32To64 => 32,
            _ => 0,
        };
        if (alu64)
        {
            if (signExtendBits == 0)
            {
                // r1 = r2: copy the state; unknown scalars get an id so a later test of one narrows the other.
                AssignScalarIdBeforeMove(ref Reg(insn.Src));
                dst = Reg(insn.Src);
            }
            else if (src.IsScalar)
            {
                bool noSignExtension = src.UMax < 1UL << (signExtendBits - 1);
                if (noSignExtension)
                {
                    AssignScalarIdBeforeMove(ref Reg(insn.Src));
                }
                dst = Reg(insn.Src);
                if (!noSignExtension)
                {
                    dst.Id = 0;
                    dst.AddConst = false;
                    dst.Off = 0;
                }
                dst.CoerceToSizeSignExtend(signExtendBits / 8);
            }
            else
            {
                dst.MarkUnknown();
            }
            return;
        }
        // w1 = w2: a pointer's low half is just a number.
        if (src.IsScalar)
        {
            if (signExtendBits == 0)
            {
                bool fits32 = src.Width <= 32;
                if (fits32)
                {
                    AssignScalarIdBeforeMove(ref Reg(insn.Src));
                }
                dst = Reg(insn.Src);
                if (!fits32)
                {
                    dst.Id = 0;
                    dst.AddConst = false;
                    dst.Off = 0;
                }
            }
            else
            {
                // w1 = (s8, s16)w2: still linked when no sign bit can be set.
                bool noSignExtension = src.UMax < 1UL << (signExtendBits - 1);
                if (noSignExtension)
                {
                    AssignScalarIdBeforeMove(ref Reg(insn.Src));
                }
                dst = Reg(insn.Src);
                if (!noSignExtension)
                {
                    dst.Id = 0;
                    dst.AddConst = false;
                    dst.Off = 0;
                }
                dst.CoerceSubregToSizeSignExtend(signExtendBits / 8);
            }
        }
        else
        {
            dst.MarkUnknown();
        }
        dst.ZeroExtend32To64();
        dst.Sync();
    }

    /// <summary>
    /// assign_scalar_id_before_mov: an unknown scalar copied gets an id so copies stay linked; a register already
    /// linked with a constant delta loses that link (only one delta is tracked).
    /// </summary>
    private void AssignScalarIdBeforeMove(ref RegisterState src)
    {
        if (!src.IsScalar)
        {
            return;
        }
        if (src.AddConst)
        {
            src.Id = 0;
            src.Off = 0;
            src.AddConst = false;
        }
        if (src.Id == 0 && !src.VarOff.IsConst)
        {
            src.Id = NewId();
        }
    }

    /// <summary>adjust_reg_min_max_vals.</summary>
    private void AdjustRegister(Instruction insn, AluOp op, bool alu64, bool register)
    {
        ref var dst = ref Reg(insn.Dst);
        if (register)
        {
            var src = Reg(insn.Src);
            if (!src.IsScalar)
            {
                if (!dst.IsScalar)
                {
                    // Pointer minus pointer is a number for a privileged program; anything else is refused.
                    if (op == AluOp.Sub)
                    {
                        dst.MarkUnknown();
                        return;
                    }
                    throw Reject($"R{insn.Dst} pointer {AluOps.Text(op)} pointer prohibited");
                }
                MarkPrecise(insn.Dst);
                AdjustPointer(insn, op, alu64, src, dst, scalarIsDestination: true);
                return;
            }
            if (!dst.IsScalar)
            {
                MarkPrecise(insn.Src);
                AdjustPointer(insn, op, alu64, Reg(insn.Dst), src, scalarIsDestination: false);
                return;
            }
            ScalarArithmetic.Apply(ref dst, src, op, !alu64);
            LinkAfterConstantAdd(ref dst, src, op, alu64);
            return;
        }
        var immediate = RegisterState.KnownScalar((ulong)insn.Immediate);
        if (!dst.IsScalar)
        {
            AdjustPointer(insn, op, alu64, dst, immediate, scalarIsDestination: false);
            return;
        }
        ScalarArithmetic.Apply(ref dst, immediate, op, !alu64);
        LinkAfterConstantAdd(ref dst, immediate, op, alu64);
    }

    /// <summary>
    /// r1 = r2; r1 += K keeps r1 linked to r2 with the delta K (BPF_ADD_CONST), so a later test of r2 also bounds
    /// r1; any other operation breaks the link.
    /// </summary>
    private static void LinkAfterConstantAdd(ref RegisterState dst, in RegisterState src, AluOp op, bool alu64)
    {
        if (dst.Kind != RegisterKind.Scalar)
        {
            return;
        }
        if (op is AluOp.Add or AluOp.Sub && alu64 && dst.Id != 0 && src.IsConst(false))
        {
            long value = (long)src.ConstValue(false);
            if (value < int.MinValue || value > int.MaxValue || dst.AddConst || (op == AluOp.Sub && value == int.MinValue))
            {
                dst.Off = 0;
                dst.Id = 0;
                dst.AddConst = false;
                return;
            }
            dst.AddConst = true;
            dst.Off = op == AluOp.Sub ? -(int)value : (int)value;
            return;
        }
        dst.Id = 0;
        dst.AddConst = false;
        dst.Off = 0;
    }

    /// <summary>check_reg_sane_offset.</summary>
    private void CheckSaneOffset(in RegisterState reg, in RegisterState pointer)
    {
        string type = StatePrinter.KindName(pointer);
        long value = (long)reg.VarOff.Value;
        if (reg.VarOff.IsConst && (value >= MaxVariableOffset || value <= -MaxVariableOffset))
        {
            throw Reject($"math between {type} pointer and {value} is not allowed");
        }
        if (reg.Off >= MaxVariableOffset || reg.Off <= -MaxVariableOffset)
        {
            throw Reject($"{type} pointer offset {reg.Off} is not allowed");
        }
        if (reg.SMin == long.MinValue)
        {
            throw Reject($"math between {type} pointer and register with unbounded min value is not allowed");
        }
        if (reg.SMin >= MaxVariableOffset || reg.SMin <= -MaxVariableOffset)
        {
            throw Reject($"value {reg.SMin} makes {type} pointer be out of bounds");
        }
    }

    /// <summary>adjust_ptr_min_max_vals: pointer plus or minus a scalar.</summary>
    private void AdjustPointer(Instruction insn, AluOp op, bool alu64, RegisterState pointer, RegisterState offset, bool scalarIsDestination)
    {
        int dstIndex = insn.Dst;
        ref var dst = ref Reg(dstIndex);
        bool known = offset.VarOff.IsConst;
        if ((known && (offset.SMin != offset.SMax || offset.UMin != offset.UMax))
            || offset.SMin > offset.SMax || offset.UMin > offset.UMax)
        {
            dst.MarkUnknown();
            return;
        }
        if (!alu64)
        {
            if (op == AluOp.Sub)
            {
                dst.MarkUnknown();
                return;
            }
            throw Reject($"R{dstIndex} 32-bit pointer arithmetic prohibited");
        }
        if (pointer.MaybeNull)
        {
            throw Reject($"R{dstIndex} pointer arithmetic on {StatePrinter.KindName(pointer)} prohibited, null-check it first");
        }
        switch (pointer.Kind)
        {
            case RegisterKind.Context or RegisterKind.MapValue or RegisterKind.Stack or RegisterKind.PacketMeta
                or RegisterKind.Packet or RegisterKind.Memory:
                break;
            case RegisterKind.ConstMapPointer when known && offset.SMin == 0 && op == AluOp.Add:
                break;
            default:
                throw Reject($"R{dstIndex} pointer arithmetic on {StatePrinter.KindName(pointer)} prohibited");
        }
        CheckSaneOffset(offset, pointer);
        CheckSaneOffset(pointer, pointer);

        var result = pointer;
        result.S32Min = int.MinValue;
        result.S32Max = int.MaxValue;
        result.U32Min = 0;
        result.U32Max = uint.MaxValue;
        switch (op)
        {
            case AluOp.Add:
                if (known && (long)pointer.Off + offset.SMin == (int)(pointer.Off + offset.SMin))
                {
                    result.Off = (int)(pointer.Off + offset.SMin);
                    break;
                }
                result.SMin = unchecked(pointer.SMin + offset.SMin);
                result.SMax = unchecked(pointer.SMax + offset.SMax);
                if (AddOverflows(pointer.SMin, offset.SMin, result.SMin) || AddOverflows(pointer.SMax, offset.SMax, result.SMax))
                {
                    result.SMin = long.MinValue;
                    result.SMax = long.MaxValue;
                }
                ulong umin = unchecked(pointer.UMin + offset.UMin);
                ulong umax = unchecked(pointer.UMax + offset.UMax);
                if (umin < pointer.UMin || umax < pointer.UMax)
                {
                    umin = 0;
                    umax = ulong.MaxValue;
                }
                result.UMin = umin;
                result.UMax = umax;
                result.VarOff = pointer.VarOff + offset.VarOff;
                if (pointer.IsPacketPointer)
                {
                    result.Id = NewId();
                    result.Range = 0;
                }
                break;
            case AluOp.Sub:
                if (scalarIsDestination)
                {
                    throw Reject($"R{dstIndex} tried to subtract pointer from scalar");
                }
                if (pointer.Kind == RegisterKind.Stack)
                {
                    throw Reject($"R{dstIndex} subtraction from stack pointer prohibited");
                }
                if (known && (long)pointer.Off - offset.SMin == (int)(pointer.Off - offset.SMin))
                {
                    result.Off = (int)(pointer.Off - offset.SMin);
                    break;
                }
                result.SMin = unchecked(pointer.SMin - offset.SMax);
                result.SMax = unchecked(pointer.SMax - offset.SMin);
                if (SubOverflows(pointer.SMin, offset.SMax, result.SMin) || SubOverflows(pointer.SMax, offset.SMin, result.SMax))
                {
                    result.SMin = long.MinValue;
                    result.SMax = long.MaxValue;
                }
                if (pointer.UMin < offset.UMax)
                {
                    result.UMin = 0;
                    result.UMax = ulong.MaxValue;
                }
                else
                {
                    result.UMin = pointer.UMin - offset.UMax;
                    result.UMax = pointer.UMax - offset.UMin;
                }
                result.VarOff = pointer.VarOff - offset.VarOff;
                if (pointer.IsPacketPointer)
                {
                    result.Id = NewId();
                    if (offset.SMin < 0)
                    {
                        result.Range = 0;
                    }
                }
                break;
            case AluOp.And or AluOp.Or or AluOp.Xor:
                throw Reject($"R{dstIndex} bitwise operator {AluOps.Text(op)} on pointer prohibited");
            default:
                throw Reject($"R{dstIndex} pointer arithmetic with {AluOps.Text(op)} operator prohibited");
        }
        CheckSaneOffset(result, pointer);
        result.Sync();
        dst = result;
    }

    private static bool AddOverflows(long a, long b, long sum) => ((a ^ sum) & (b ^ sum)) < 0;

    private static bool SubOverflows(long a, long b, long difference) => ((a ^ b) & (a ^ difference)) < 0;

    /// <summary>check_ld_imm: a number, a map, or a pointer into a map's value.</summary>
    private void CheckLoadImm64(Instruction insn)
    {
        CheckWrite(insn.Dst);
        ref var dst = ref Reg(insn.Dst);
        switch (insn.ImmediateKind)
        {
            case LoadImmediateKind.Value:
                dst = RegisterState.KnownScalar((ulong)insn.Immediate);
                return;
            case LoadImmediateKind.MapFd:
            {
                var map = BpfMap.FromHandle((nint)insn.Immediate)
                    ?? throw Reject($"fd {insn.Immediate} is not pointing to valid bpf_map");
                dst = new RegisterState { Kind = RegisterKind.ConstMapPointer };
                dst.MarkKnown(0);
                dst.Map = map.Definition;
                dst.MapObject = map;
                return;
            }
            case LoadImmediateKind.MapValue:
            {
                foreach (var map in _maps.Count > 0 ? _maps : LiveMaps())
                {
                    if (map.Type is not (BpfMapType.Array) || map.MaxEntries == 0)
                    {
                        continue;
                    }
                    ulong start = map.DirectValueAddress(0);
                    ulong address = (ulong)insn.Immediate;
                    if (address >= start && address < start + map.ValueSize)
                    {
                        dst = new RegisterState { Kind = RegisterKind.MapValue };
                        dst.MarkKnown(0);
                        dst.Map = map.Definition;
                        dst.MapObject = map;
                        dst.Off = (int)(address - start);
                        return;
                    }
                }
                throw Reject("invalid bpf_ld_imm64 insn: no map holds this value address");
            }
            default:
                throw Reject($"unrecognized bpf_ld_imm64 insn (src {(int)insn.ImmediateKind})");
        }
    }

    /// <summary>Every live map of the process, for value references when the caller named no maps.</summary>
    private static IEnumerable<BpfMap> LiveMaps()
    {
        int misses = 0;
        for (int id = 1; misses < 256; id++)
        {
            var map = BpfMap.FromId(id);
            if (map is null)
            {
                misses++;
                continue;
            }
            misses = 0;
            yield return map;
        }
    }

    /// <summary>
    /// check_ld_abs: LD_ABS / LD_IND read the packet through the context, which must be in r6; no reference may be
    /// held (the load can end the program). Linux 6.18 allows them in programs with bpf-to-bpf calls.
    /// </summary>
    private void CheckLegacyPacketLoad(Instruction insn)
    {
        if (!_programType.AllowsLegacyPacketLoads)
        {
            throw Reject("BPF_LD_[ABS|IND] instructions not allowed for this program type");
        }
        CheckRead(6);
        if (_cur.References.Count > 0)
        {
            throw Reject(ReferenceLeakMessage("BPF_LD_[ABS|IND]"));
        }
        if (Reg(6).Kind != RegisterKind.Context)
        {
            throw Reject("at the time of BPF_LD_ABS|IND R6 != pointer to skb");
        }
        if (insn.Source == OperandSource.Register)
        {
            CheckRead(insn.Src);
        }
        CheckPointerOffset(6, Reg(6));
        for (int r = 1; r <= 5; r++)
        {
            Reg(r) = RegisterState.NotInitialized;
            _log.ScratchRegister(r);
        }
        Reg(0).MarkUnknown();
        _log.ScratchRegister(0);
    }
}
