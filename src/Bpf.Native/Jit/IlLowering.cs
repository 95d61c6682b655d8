using System.Reflection.Emit;
using Bpf.Native.Isa;

namespace Bpf.Native.Jit;

/// <summary>
/// Operations whose semantics-table method is exactly one short IL sequence, emitted inline instead of as a call:
/// plain arithmetic, comparisons, moves and sign extension, loads and stores. This halves the IL of typical
/// programs, so RyuJIT compiles them several times faster and keeps optimizing programs of thousands of
/// instructions (past about 60 KB of IL or 8,000 local references it falls back to MinOpts, which does not inline
/// and would turn every call into a real call). Everything else (division, byte swaps, atomics, packet loads) is a
/// call to the table's method, which RyuJIT inlines. The table stays the definition: tests/Bpf.Native.Tests
/// IlLoweringTests run every lowering against its table method on random and edge-case operands.
/// </summary>
internal static class IlLowering
{
    /// <summary>True when <paramref name="operation"/> (an ALU operation) has an inline form.</summary>
    public static bool LowersAlu(Operation operation) => operation switch
    {
        Operation.Add64 or Operation.Sub64 or Operation.Mul64 or Operation.Or64 or Operation.And64 or Operation.Xor64
            or Operation.Lsh64 or Operation.Rsh64 or Operation.Arsh64 or Operation.Neg64 or Operation.Mov64
            or Operation.MovSx8To64 or Operation.MovSx16To64 or Operation.MovSx32To64 => true,
        Operation.Add32 or Operation.Sub32 or Operation.Mul32 or Operation.Or32 or Operation.And32 or Operation.Xor32
            or Operation.Lsh32 or Operation.Rsh32 or Operation.Arsh32 or Operation.Neg32 or Operation.Mov32
            or Operation.MovSx8To32 or Operation.MovSx16To32 => true,
        _ => false,
    };

    /// <summary>
    /// Emits <c>dst op operand</c> leaving the 64-bit result on the stack. <paramref name="loadDst"/> and
    /// <paramref name="loadOperand"/> push the 64-bit values; <paramref name="shiftCount"/>, when given, is the
    /// constant shift count of an immediate shift (already known, so it is masked here rather than at run time).
    /// </summary>
    public static void EmitAlu(ILGenerator il, Operation operation, Action loadDst, Action loadOperand, long? shiftCount)
    {
        switch (operation)
        {
            case Operation.Mov64:
                loadOperand();
                return;
            case Operation.Mov32:
                loadOperand();
                ZeroExtend32(il);
                return;
            case Operation.MovSx8To64 or Operation.MovSx16To64 or Operation.MovSx32To64:
                loadOperand();
                il.Emit(operation switch
                {
                    Operation.MovSx8To64 => OpCodes.Conv_I1,
                    Operation.MovSx16To64 => OpCodes.Conv_I2,
                    _ => OpCodes.Conv_I4,
                });
                il.Emit(OpCodes.Conv_I8);
                return;
            case Operation.MovSx8To32 or Operation.MovSx16To32:
                loadOperand();
                il.Emit(operation == Operation.MovSx8To32 ? OpCodes.Conv_I1 : OpCodes.Conv_I2);
                il.Emit(OpCodes.Conv_U4);
                il.Emit(OpCodes.Conv_U8);
                return;
            case Operation.Neg64:
                loadDst();
                il.Emit(OpCodes.Neg);
                return;
            case Operation.Neg32:
                loadDst();
                il.Emit(OpCodes.Conv_I4);
                il.Emit(OpCodes.Neg);
                ZeroExtend32(il);
                return;
        }

        bool is32 = OperationCatalog.Info(operation).Is32;
        bool shift = operation is Operation.Lsh64 or Operation.Rsh64 or Operation.Arsh64
            or Operation.Lsh32 or Operation.Rsh32 or Operation.Arsh32;
        loadDst();
        if (is32)
        {
            il.Emit(operation == Operation.Arsh32 ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
        }
        if (shift)
        {
            // Shift counts are masked to the width (RFC 9669 section 4.1; IL leaves larger counts undefined).
            int mask = is32 ? 31 : 63;
            if (shiftCount is { } constant)
            {
                il.Emit(OpCodes.Ldc_I4, (int)(constant & mask));
            }
            else
            {
                loadOperand();
                il.Emit(OpCodes.Conv_I4);
                il.Emit(OpCodes.Ldc_I4, mask);
                il.Emit(OpCodes.And);
            }
        }
        else
        {
            loadOperand();
            if (is32)
            {
                il.Emit(OpCodes.Conv_U4);
            }
        }
        il.Emit(operation switch
        {
            Operation.Add64 or Operation.Add32 => OpCodes.Add,
            Operation.Sub64 or Operation.Sub32 => OpCodes.Sub,
            Operation.Mul64 or Operation.Mul32 => OpCodes.Mul,
            Operation.Or64 or Operation.Or32 => OpCodes.Or,
            Operation.And64 or Operation.And32 => OpCodes.And,
            Operation.Xor64 or Operation.Xor32 => OpCodes.Xor,
            Operation.Lsh64 or Operation.Lsh32 => OpCodes.Shl,
            Operation.Rsh64 or Operation.Rsh32 => OpCodes.Shr_Un,
            _ => OpCodes.Shr,
        });
        if (is32)
        {
            ZeroExtend32(il);
        }
    }

    /// <summary>
    /// Emits a conditional branch to <paramref name="target"/> for a jump operation; <paramref name="loadDst"/>
    /// and <paramref name="loadOperand"/> push the 64-bit values. Every conditional jump has an inline form.
    /// </summary>
    public static void EmitConditionalJump(ILGenerator il, Operation operation, Action loadDst, Action loadOperand, Label target)
    {
        var info = OperationCatalog.Info(operation);
        var code = (JumpCode)info.Code;
        bool signed = code is JumpCode.Jsgt or JumpCode.Jsge or JumpCode.Jslt or JumpCode.Jsle;
        loadDst();
        if (info.Is32)
        {
            il.Emit(signed ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
        }
        loadOperand();
        if (info.Is32)
        {
            il.Emit(signed ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
        }
        if (code == JumpCode.Jset)
        {
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Brtrue, target);
            return;
        }
        il.Emit(code switch
        {
            JumpCode.Jeq => OpCodes.Beq,
            JumpCode.Jne => OpCodes.Bne_Un,
            JumpCode.Jgt => OpCodes.Bgt_Un,
            JumpCode.Jge => OpCodes.Bge_Un,
            JumpCode.Jlt => OpCodes.Blt_Un,
            JumpCode.Jle => OpCodes.Ble_Un,
            JumpCode.Jsgt => OpCodes.Bgt,
            JumpCode.Jsge => OpCodes.Bge,
            JumpCode.Jslt => OpCodes.Blt,
            _ => OpCodes.Ble,
        }, target);
    }

    /// <summary>Emits a load from the native address on the stack, leaving the 64-bit value.</summary>
    public static void EmitLoad(ILGenerator il, Operation operation)
    {
        if (operation is not (Operation.LoadU8 or Operation.LoadS8))
        {
            il.Emit(OpCodes.Unaligned, (byte)1);
        }
        switch (operation)
        {
            case Operation.LoadU8: il.Emit(OpCodes.Ldind_U1); il.Emit(OpCodes.Conv_U8); break;
            case Operation.LoadU16: il.Emit(OpCodes.Ldind_U2); il.Emit(OpCodes.Conv_U8); break;
            case Operation.LoadU32: il.Emit(OpCodes.Ldind_U4); il.Emit(OpCodes.Conv_U8); break;
            case Operation.LoadU64: il.Emit(OpCodes.Ldind_I8); break;
            case Operation.LoadS8: il.Emit(OpCodes.Ldind_I1); il.Emit(OpCodes.Conv_I8); break;
            case Operation.LoadS16: il.Emit(OpCodes.Ldind_I2); il.Emit(OpCodes.Conv_I8); break;
            case Operation.LoadS32: il.Emit(OpCodes.Ldind_I4); il.Emit(OpCodes.Conv_I8); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a load");
        }
    }

    /// <summary>Emits a store of the 64-bit value on top of the stack to the native address below it.</summary>
    public static void EmitStore(ILGenerator il, Operation operation)
    {
        if (operation != Operation.Store64)
        {
            il.Emit(OpCodes.Conv_U4); // stind.i1/i2/i4 take an int32 and store its low bytes
        }
        if (operation != Operation.Store8)
        {
            il.Emit(OpCodes.Unaligned, (byte)1);
        }
        il.Emit(operation switch
        {
            Operation.Store8 => OpCodes.Stind_I1,
            Operation.Store16 => OpCodes.Stind_I2,
            Operation.Store32 => OpCodes.Stind_I4,
            Operation.Store64 => OpCodes.Stind_I8,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a store"),
        });
    }

    private static void ZeroExtend32(ILGenerator il)
    {
        il.Emit(OpCodes.Conv_U4);
        il.Emit(OpCodes.Conv_U8);
    }
}
