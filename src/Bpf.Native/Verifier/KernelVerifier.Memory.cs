using Bpf.Native.Isa;
using Bpf.Native.Maps;

namespace Bpf.Native.Verifier;

/// <summary>Loads, stores and atomics (check_load_mem, check_store_reg, check_atomic, check_mem_access).</summary>
internal sealed partial class KernelVerifier
{
    private void CheckLoad(Instruction insn)
    {
        CheckRead(insn.Src);
        CheckWrite(insn.Dst);
        var baseKind = Reg(insn.Src);
        bool signExtend = insn.Operation is Operation.LoadS8 or Operation.LoadS16 or Operation.LoadS32;
        CheckMemoryAccess(insn.Src, insn.Offset, insn.Info.AccessBytes, ContextAccessKind.Read, insn.Dst, strictAlignment: false, signExtend);
        SaveAuxPointerKind(baseKind, ContextAccessKind.Read, insn.Info.AccessBytes);
    }

    private void CheckStore(Instruction insn)
    {
        bool register = insn.Source == OperandSource.Register;
        if (register)
        {
            CheckRead(insn.Src);
        }
        CheckRead(insn.Dst);
        var baseKind = Reg(insn.Dst);
        CheckMemoryAccess(insn.Dst, insn.Offset, insn.Info.AccessBytes, ContextAccessKind.Write, register ? insn.Src : -1,
            strictAlignment: false, signExtend: false, storeImmediate: register ? null : insn.Immediate);
        SaveAuxPointerKind(baseKind, ContextAccessKind.Write, insn.Info.AccessBytes);
    }

    /// <summary>check_atomic_rmw.</summary>
    private void CheckAtomic(Instruction insn)
    {
        int size = insn.Info.AccessBytes;
        CheckRead(insn.Src);
        CheckRead(insn.Dst);
        if (insn.Shape == OperationShape.AtomicCompareExchange)
        {
            CheckRead(0);
        }
        var target = Reg(insn.Dst);
        if (target.Kind is RegisterKind.Context or RegisterKind.Packet or RegisterKind.PacketMeta or RegisterKind.SockCommon)
        {
            throw Reject($"BPF_ATOMIC stores into R{insn.Dst} {StatePrinter.KindName(target)} is not allowed");
        }
        int loadRegister = insn.Shape switch
        {
            OperationShape.AtomicCompareExchange => 0,
            OperationShape.AtomicFetch => insn.Src,
            _ => -1,
        };
        if (loadRegister >= 0)
        {
            WriteUnknown(loadRegister);
        }
        CheckMemoryAccess(insn.Dst, insn.Offset, size, ContextAccessKind.Read, -1, strictAlignment: true, signExtend: false);
        if (loadRegister >= 0)
        {
            CheckMemoryAccess(insn.Dst, insn.Offset, size, ContextAccessKind.Read, loadRegister, strictAlignment: true, signExtend: false);
        }
        CheckMemoryAccess(insn.Dst, insn.Offset, size, ContextAccessKind.Write, -1, strictAlignment: true, signExtend: false);
        SaveAuxPointerKind(target, ContextAccessKind.Write, size);
    }

    /// <summary>
    /// save_aux_ptr_type: remember the base pointer's kind for the rewrite passes; the context and anything else
    /// must never meet at one instruction.
    /// </summary>
    private void SaveAuxPointerKind(in RegisterState baseRegister, ContextAccessKind kind, int size)
    {
        ref var aux = ref _aux[_insnIdx];
        var pointerKind = baseRegister.Kind;
        if (aux.PointerKind == RegisterKind.NotInit)
        {
            aux = aux with { PointerKind = pointerKind, AccessKind = kind, AccessSizeBytes = size };
            return;
        }
        if (aux.PointerKind != pointerKind
            && (aux.PointerKind is RegisterKind.Context or RegisterKind.SockCommon
                || pointerKind is RegisterKind.Context or RegisterKind.SockCommon))
        {
            throw Reject("same insn cannot be used with different pointers");
        }
    }

    /// <summary>check_mem_access: is [reg + off, reg + off + size) accessible this way, and what does a load yield.</summary>
    private void CheckMemoryAccess(int regno, int off, int size, ContextAccessKind type, int valueRegno, bool strictAlignment,
        bool signExtend, long? storeImmediate = null)
    {
        var reg = Reg(regno);
        CheckAlignment(reg, off, size, strictAlignment);
        off += reg.Off;
        if (reg.MaybeNull)
        {
            throw Reject($"R{regno} invalid mem access '{StatePrinter.KindName(reg)}'");
        }
        switch (reg.Kind)
        {
            case RegisterKind.MapValue:
                CheckMapValueAccess(regno, reg, off, size, type, valueRegno);
                break;
            case RegisterKind.Memory:
                CheckMemoryRegionAccess(regno, reg, off, size, reg.MemSize, zeroSizeAllowed: false);
                if (valueRegno >= 0 && type == ContextAccessKind.Read)
                {
                    Reg(valueRegno).MarkUnknown();
                }
                break;
            case RegisterKind.Context:
                CheckContextAccess(regno, reg, off, size, type, valueRegno);
                break;
            case RegisterKind.Stack:
                CheckStackAccessWithinBounds(regno, reg, off, size, type);
                if (type == ContextAccessKind.Read)
                {
                    CheckStackRead(regno, reg, off, size, valueRegno);
                }
                else
                {
                    CheckStackWrite(regno, reg, off, size, valueRegno, storeImmediate);
                }
                break;
            case RegisterKind.Packet or RegisterKind.PacketMeta:
                if (type == ContextAccessKind.Write && !_programType.AllowsDirectPacketWrite)
                {
                    throw Reject("cannot write into packet");
                }
                CheckPacketAccess(regno, reg, off, size, zeroSizeAllowed: false);
                if (type == ContextAccessKind.Read && valueRegno >= 0)
                {
                    Reg(valueRegno).MarkUnknown();
                }
                break;
            case RegisterKind.SockCommon when type == ContextAccessKind.Write:
                throw Reject($"R{regno} cannot write into {StatePrinter.KindName(reg)}");
            default:
                throw Reject($"R{regno} invalid mem access '{StatePrinter.KindName(reg)}'");
        }
        if (valueRegno >= 0 && type == ContextAccessKind.Read && size < 8 && Reg(valueRegno).IsScalar)
        {
            if (signExtend)
            {
                Reg(valueRegno).CoerceToSizeSignExtend(size);
            }
            else
            {
                Reg(valueRegno).CoerceToSize(size);
            }
        }
    }

    /// <summary>check_ptr_alignment: x86 has no strict alignment, but stack accesses and atomics must be aligned.</summary>
    private void CheckAlignment(in RegisterState reg, int off, int size, bool strict)
    {
        string description;
        switch (reg.Kind)
        {
            case RegisterKind.Packet or RegisterKind.PacketMeta:
                return;
            case RegisterKind.MapValue:
                description = "value ";
                break;
            case RegisterKind.Context:
                description = "context ";
                break;
            case RegisterKind.Stack:
                description = "stack ";
                strict = true;
                break;
            default:
                description = "";
                break;
        }
        if (!strict || size == 1)
        {
            return;
        }
        var total = reg.VarOff + Tnum.Const((ulong)(long)(reg.Off + off));
        if (!total.IsAligned(size))
        {
            string variable = reg.VarOff.IsConst ? ((long)reg.VarOff.Value).ToString(System.Globalization.CultureInfo.InvariantCulture) : reg.VarOff.ToString();
            throw Reject($"misaligned {description}access off {variable}+{reg.Off}+{off} size {size}");
        }
    }

    /// <summary>__check_mem_access: the fixed part of an access against a region's size.</summary>
    private void CheckMemAccess(int regno, in RegisterState reg, long off, long size, long memSize, bool zeroSizeAllowed)
    {
        bool sizeOk = size > 0 || (size == 0 && zeroSizeAllowed);
        if (off >= 0 && sizeOk && off + size <= memSize)
        {
            return;
        }
        string message = reg.Kind switch
        {
            RegisterKind.MapValue => $"invalid access to map value, value_size={memSize} off={off} size={size}",
            RegisterKind.Packet or RegisterKind.PacketMeta or RegisterKind.PacketEnd =>
                $"invalid access to packet, off={off} size={size}, R{regno}(id={reg.Id},off={off},r={memSize})",
            _ => $"invalid access to memory, mem_size={(uint)memSize} off={off} size={size}",
        };
        throw new PartialRejection(message);
    }

    /// <summary>An access error whose caller adds a second line (the kernel's two-line messages).</summary>
    private sealed class PartialRejection(string message) : Exception(message);

    /// <summary>check_mem_region_access: both ends of the variable part inside the region.</summary>
    private void CheckMemoryRegionAccess(int regno, in RegisterState reg, int off, int size, uint memSize, bool zeroSizeAllowed)
    {
        if (reg.SMin < 0 && (reg.SMin == long.MinValue || off + reg.SMin != (int)(off + reg.SMin) || reg.SMin + off < 0))
        {
            throw Reject($"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check.");
        }
        try
        {
            CheckMemAccess(regno, reg, reg.SMin + off, size, memSize, zeroSizeAllowed);
        }
        catch (PartialRejection first)
        {
            throw Reject($"{first.Message}\nR{regno} min value is outside of the allowed memory range");
        }
        if (reg.UMax >= (ulong)MaxVariableOffset)
        {
            throw Reject($"R{regno} unbounded memory access, make sure to bounds check any such access");
        }
        try
        {
            CheckMemAccess(regno, reg, (long)reg.UMax + off, size, memSize, zeroSizeAllowed);
        }
        catch (PartialRejection first)
        {
            throw Reject($"{first.Message}\nR{regno} max value is outside of the allowed memory range");
        }
    }

    /// <summary>check_packet_access: inside the range proven by a comparison with data_end.</summary>
    private void CheckPacketAccess(int regno, in RegisterState reg, int off, int size, bool zeroSizeAllowed)
    {
        if (reg.SMin < 0)
        {
            throw Reject($"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check.");
        }
        try
        {
            if (reg.Range < 0)
            {
                throw new PartialRejection("");
            }
            CheckMemAccess(regno, reg, off, size, reg.Range, zeroSizeAllowed);
        }
        catch (PartialRejection first)
        {
            string prefix = first.Message.Length > 0 ? first.Message + "\n" : "";
            throw Reject($"{prefix}R{regno} offset is outside of the packet");
        }
    }

    private void CheckMapValueAccess(int regno, in RegisterState reg, int off, int size, ContextAccessKind type, int valueRegno)
    {
        var map = reg.Map!.Value;
        bool readOnly = (map.Flags & BpfMapFlags.ReadOnlyProgram) != 0;
        bool writeOnly = (map.Flags & BpfMapFlags.WriteOnlyProgram) != 0;
        if (type == ContextAccessKind.Write && readOnly)
        {
            throw Reject($"write into map forbidden, value_size={map.ValueSize} off={off} size={size}");
        }
        if (type == ContextAccessKind.Read && writeOnly)
        {
            throw Reject($"read from map forbidden, value_size={map.ValueSize} off={off} size={size}");
        }
        CheckMemoryRegionAccess(regno, reg, off, size, map.ValueSize, zeroSizeAllowed: false);
        if (type == ContextAccessKind.Read && valueRegno >= 0)
        {
            // A frozen read-only map's contents are known (bpf_map_direct_read).
            if (reg.VarOff.IsConst && readOnly && reg.MapObject is { IsFrozen: true, Type: BpfMapType.Array } frozen)
            {
                Reg(valueRegno) = RegisterState.KnownScalar(ReadFrozenValue(frozen, off + (int)reg.VarOff.Value, size));
            }
            else
            {
                Reg(valueRegno).MarkUnknown();
            }
        }
    }

    private static unsafe ulong ReadFrozenValue(BpfMap map, int off, int size)
    {
        byte* at = (byte*)map.DirectValueAddress((uint)off);
        return size switch
        {
            1 => *at,
            2 => *(ushort*)at,
            4 => *(uint*)at,
            _ => *(ulong*)at,
        };
    }

    /// <summary>check_ctx_access through the program type's rules; records what the rewrite needs.</summary>
    private void CheckContextAccess(int regno, in RegisterState reg, int off, int size, ContextAccessKind type, int valueRegno)
    {
        CheckPointerOffset(regno, reg);
        if (!_programType.IsValidContextAccess(off, size, type, out var result))
        {
            throw Reject($"invalid bpf_context access off={off} size={size}");
        }
        ref var aux = ref _aux[_insnIdx];
        aux = aux with { ContextOffsetBytes = off, ContextFieldSizeBytes = result.FieldSizeBytes };
        if (type != ContextAccessKind.Read || valueRegno < 0)
        {
            return;
        }
        ref var value = ref Reg(valueRegno);
        if (result.Kind == RegisterKind.Scalar)
        {
            value.MarkUnknown();
            return;
        }
        value = new RegisterState { Kind = result.Kind, MaybeNull = result.MaybeNull };
        value.MarkKnown(0);
        if (result.MaybeNull)
        {
            value.Id = NewId();
        }
    }

    /// <summary>__check_ptr_off_reg: the context may only be accessed at a constant offset from its start.</summary>
    private void CheckPointerOffset(int regno, in RegisterState reg)
    {
        if (reg.Off != 0)
        {
            throw Reject($"dereference of modified {StatePrinter.KindName(reg)} ptr R{regno} off={reg.Off} disallowed");
        }
        if (!reg.VarOff.IsConst || reg.VarOff.Value != 0)
        {
            throw Reject($"variable {StatePrinter.KindName(reg)} access var_off={reg.VarOff} disallowed");
        }
    }
}
