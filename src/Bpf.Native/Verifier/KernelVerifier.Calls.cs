using Bpf.Native.Helpers;
using Bpf.Native.Isa;
using Bpf.Native.Maps;

namespace Bpf.Native.Verifier;

/// <summary>
/// Helper calls (check_helper_call, check_func_arg, check_map_func_compatibility), bpf-to-bpf calls with their own
/// frames (check_func_call, prepare_func_exit) and the program's exit (check_return_code, check_reference_leak).
/// </summary>
internal sealed partial class KernelVerifier
{
    /// <summary>bpf_helper_changes_pkt_data: helpers after which every packet pointer is stale.</summary>
    private static readonly HashSet<int> s_changesPacketData =
        [13, 10, 11, 73, 76, 75, 74, 91, 63, 90, 50, 43, 31, 38, 39, 9, 19, 18, 143, 44, 54, 65, 12];

    /// <summary>Helpers whose prototype has pkt_access: they may read packet memory passed to them.</summary>
    private static readonly HashSet<int> s_packetAccessHelpers = [1, 2, 3, 28, 87];

    /// <summary>gpl_only helpers (a non-GPL program may not call them).</summary>
    private static readonly HashSet<int> s_gplOnlyHelpers = [4, 35, 45, 112, 113, 114, 115, 158, 165, 177];

    private const int HelperTailCall = 12;
    private const int HelperMapLookup = 1;
    private const int HelperGetSmpProcessorId = 8;

    private sealed class CallMeta
    {
        public MapDefinition? Map;
        public int RawRegister = -1;
        public int RawAccessSize;
        public int ReleaseRegister;
        public int RefObjId;
        public uint MemSize;
        public long ConstMapKey = -1;
    }

    private bool[] ComputeChangesPacketData()
    {
        var changes = new bool[_flow.FunctionStarts.Length];
        bool progress = true;
        while (progress)
        {
            progress = false;
            for (int i = 0; i < _code.Length; i++)
            {
                int function = _flow.FunctionOf[i];
                if (changes[function])
                {
                    continue;
                }
                bool direct = _code[i].Shape == OperationShape.Call && s_changesPacketData.Contains((int)_code[i].Immediate);
                bool viaCall = _code[i].Shape == OperationShape.CallLocal && changes[_flow.FunctionOf[_flow.Targets[i]]];
                if (direct || viaCall)
                {
                    changes[function] = true;
                    progress = true;
                }
            }
        }
        return changes;
    }

    private void CheckHelperCall(Instruction insn)
    {
        long id = insn.Immediate;
        string name = HelperNames.NameOf(id);
        if (!HelperNames.IsKnown(id))
        {
            throw Reject($"invalid func {name}#{id}");
        }
        if (!_programType.AllowsHelper((int)id))
        {
            throw Reject($"program of this type cannot use helper {name}#{id}");
        }
        if (!_gplCompatible && s_gplOnlyHelpers.Contains((int)id))
        {
            throw Reject("cannot call GPL-restricted function from non-GPL compatible program");
        }
        if (!_helpers.TryGet((int)id, out var helper))
        {
            throw Reject($"unknown func {name}#{id}");
        }
        var prototype = helper.Prototype;
        var meta = new CallMeta();
        for (int arg = 0; arg < HelperPrototype.MaxArguments; arg++)
        {
            CheckFunctionArgument(arg, prototype, meta, (int)id);
        }
        // A helper that fills uninitialized stack memory leaves data there.
        for (int i = 0; i < meta.RawAccessSize; i++)
        {
            CheckMemoryAccess(meta.RawRegister, i, 1, ContextAccessKind.Write, -1, strictAlignment: false, signExtend: false);
        }
        if (meta.ReleaseRegister != 0)
        {
            if (meta.RefObjId != 0)
            {
                ReleaseReference(meta.RefObjId);
            }
            else if (!Reg(meta.ReleaseRegister).IsNull)
            {
                throw Reject($"func {name}#{id} reference has not been acquired before");
            }
        }
        // record_func_map: the tail call's map must be a program array (the kernel's message has no newline).
        if (id == HelperTailCall && meta.Map is { Type: not BpfMapType.ProgArray })
        {
            throw Reject("expected prog array map for tail call", newline: false);
        }
        if (id == HelperTailCall && _cur.References.Count > 0)
        {
            throw Reject(ReferenceLeakMessage("tail_call"));
        }
        for (int r = 0; r <= 5; r++)
        {
            Reg(r) = RegisterState.NotInitialized;
            _log.ScratchRegister(r);
        }
        ref var r0 = ref Reg(0);
        switch (prototype.Returns)
        {
            case HelperReturnKind.Integer:
                r0.MarkUnknown();
                break;
            case HelperReturnKind.Void:
                r0 = RegisterState.NotInitialized;
                break;
            case HelperReturnKind.PointerToMapValueOrNull:
            {
                if (meta.Map is not { } map)
                {
                    throw Reject("kernel subsystem misconfigured verifier");
                }
                r0 = new RegisterState { Kind = RegisterKind.MapValue, MaybeNull = true };
                r0.MarkKnown(0);
                r0.Map = map;
                r0.MapObject = FindMapObject(map);
                // An array element looked up with a constant key inside the array exists (can_elide_value_nullness).
                if (id == HelperMapLookup && map.Type is BpfMapType.Array or BpfMapType.PerCpuArray
                    && meta.ConstMapKey >= 0 && meta.ConstMapKey < map.MaxEntries)
                {
                    r0.MaybeNull = false;
                }
                break;
            }
            case HelperReturnKind.PointerToMemoryOrNull:
                r0 = new RegisterState { Kind = RegisterKind.Memory, MaybeNull = true };
                r0.MarkKnown(0);
                r0.MemSize = meta.MemSize;
                break;
            case HelperReturnKind.PointerToRingBufferMemoryOrNull:
            {
                r0 = new RegisterState { Kind = RegisterKind.Memory, MaybeNull = true, RingBuffer = true };
                r0.MarkKnown(0);
                r0.MemSize = meta.MemSize;
                break;
            }
        }
        if (r0.MaybeNull)
        {
            r0.Id = NewId();
        }
        if (prototype.Returns == HelperReturnKind.PointerToRingBufferMemoryOrNull)
        {
            int reference = NewId();
            _cur.References.Add((reference, Slot(_insnIdx)));
            r0.Id = reference;
            r0.RefObjId = reference;
        }
        if (id == HelperGetSmpProcessorId && r0.IsScalar)
        {
            uint cpus = (uint)Math.Max(1, BpfCpu.PossibleCount);
            r0.UMax = cpus - 1;
            r0.U32Max = cpus - 1;
            r0.SMax = cpus - 1;
            r0.S32Max = (int)(cpus - 1);
            r0.UMin = 0;
            r0.U32Min = 0;
            r0.SMin = 0;
            r0.S32Min = 0;
            r0.Sync();
        }
        if (meta.Map is { } usedMap)
        {
            CheckMapFunctionCompatibility(usedMap, (int)id);
        }
        if (s_changesPacketData.Contains((int)id))
        {
            ClearAllPacketPointers();
        }
    }

    private BpfMap? FindMapObject(MapDefinition map)
    {
        foreach (var candidate in _maps)
        {
            if (candidate.Definition == map)
            {
                return candidate;
            }
        }
        return null;
    }

    private static string ArgumentKindText(HelperArgumentKind kind) => kind switch
    {
        HelperArgumentKind.ConstMapPointer => "map_ptr",
        HelperArgumentKind.PointerToContext => "ctx",
        HelperArgumentKind.PointerToStack => "fp",
        HelperArgumentKind.PointerToRingBufferMemory => "ringbuf_mem",
        HelperArgumentKind.ConstSize or HelperArgumentKind.ConstSizeOrZero or HelperArgumentKind.ConstAllocSizeOrZero => "scalar",
        HelperArgumentKind.PointerToConstString => "map_value",
        _ => "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_",
    };

    /// <summary>check_reg_type: the register's kind is one the argument accepts.</summary>
    private bool KindMatches(in RegisterState reg, HelperArgumentKind kind) => kind switch
    {
        HelperArgumentKind.ConstMapPointer => reg.Kind == RegisterKind.ConstMapPointer && !reg.MaybeNull,
        HelperArgumentKind.PointerToContext => reg.Kind == RegisterKind.Context,
        HelperArgumentKind.PointerToStack => reg.Kind == RegisterKind.Stack,
        HelperArgumentKind.PointerToRingBufferMemory => reg.Kind == RegisterKind.Memory && reg.RingBuffer && !reg.MaybeNull,
        HelperArgumentKind.ConstSize or HelperArgumentKind.ConstSizeOrZero or HelperArgumentKind.ConstAllocSizeOrZero => reg.IsScalar,
        HelperArgumentKind.PointerToConstString => reg.Kind == RegisterKind.MapValue && !reg.MaybeNull,
        _ => !reg.MaybeNull && reg.Kind is RegisterKind.Stack or RegisterKind.Packet or RegisterKind.PacketMeta
            or RegisterKind.MapValue or RegisterKind.Memory,
    };

    /// <summary>check_func_arg for argument <paramref name="arg"/> (register arg + 1).</summary>
    private void CheckFunctionArgument(int arg, HelperPrototype prototype, CallMeta meta, int helperId)
    {
        int regno = arg + 1;
        var kind = prototype.Argument(regno);
        if (kind == HelperArgumentKind.None)
        {
            return;
        }
        CheckRead(regno);
        var reg = Reg(regno);
        if (kind == HelperArgumentKind.Anything)
        {
            return;
        }
        if (reg.IsPacketPointer && !s_packetAccessHelpers.Contains(helperId))
        {
            throw Reject("helper access to the packet is not allowed");
        }
        bool nullable = kind == HelperArgumentKind.PointerToReadableMemoryOrNull;
        if (!(nullable && reg.IsNull))
        {
            if (!KindMatches(reg, kind))
            {
                throw Reject($"R{regno} type={StatePrinter.KindName(reg)} expected={ArgumentKindText(kind)}");
            }
            if (kind == HelperArgumentKind.PointerToRingBufferMemory && reg.Off != 0)
            {
                throw Reject($"R{regno} must have zero offset when passed to release func or trusted arg to kfunc");
            }
            if (reg.Kind is RegisterKind.Context or RegisterKind.ConstMapPointer)
            {
                CheckPointerOffset(regno, reg);
            }
        }
        if (kind == HelperArgumentKind.PointerToRingBufferMemory)
        {
            if (reg.RefObjId == 0 && !reg.IsNull)
            {
                throw Reject($"R{regno} must be referenced when passed to release function");
            }
            meta.ReleaseRegister = regno;
        }
        if (reg.RefObjId != 0)
        {
            meta.RefObjId = reg.RefObjId;
        }
        switch (kind)
        {
            case HelperArgumentKind.ConstMapPointer:
                meta.Map = reg.Map;
                break;
            case HelperArgumentKind.PointerToMapKey:
            {
                if (meta.Map is not { } map)
                {
                    throw Reject("invalid map_ptr to access map->key");
                }
                CheckHelperMemoryAccess(regno, (int)map.KeySize, ContextAccessKind.Read, zeroSizeAllowed: false, null);
                if (map.Type is BpfMapType.Array or BpfMapType.PerCpuArray)
                {
                    meta.ConstMapKey = ConstantMapKey(reg, (int)map.KeySize);
                }
                break;
            }
            case HelperArgumentKind.PointerToMapValue or HelperArgumentKind.PointerToUninitializedMapValue:
            {
                if (meta.Map is not { } map)
                {
                    throw Reject("invalid map_ptr to access map->value");
                }
                bool uninitialized = kind == HelperArgumentKind.PointerToUninitializedMapValue;
                CheckHelperMemoryAccess(regno, (int)map.ValueSize, uninitialized ? ContextAccessKind.Write : ContextAccessKind.Read,
                    zeroSizeAllowed: false, uninitialized ? meta : null);
                break;
            }
            case HelperArgumentKind.ConstSize or HelperArgumentKind.ConstSizeOrZero:
            {
                var memoryKind = prototype.Argument(regno - 1);
                bool write = memoryKind == HelperArgumentKind.PointerToWritableMemory;
                CheckMemorySizeRegister(regno, reg, write ? ContextAccessKind.Write : ContextAccessKind.Read,
                    kind == HelperArgumentKind.ConstSizeOrZero, write ? meta : null);
                break;
            }
            case HelperArgumentKind.ConstAllocSizeOrZero:
                if (!reg.VarOff.IsConst)
                {
                    throw Reject($"R{regno} is not a known constant'");
                }
                meta.MemSize = (uint)reg.VarOff.Value;
                MarkPrecise(regno);
                break;
        }
    }

    /// <summary>check_mem_size_reg: a size argument bounds the memory argument before it.</summary>
    private void CheckMemorySizeRegister(int regno, in RegisterState reg, ContextAccessKind access, bool zeroSizeAllowed, CallMeta? meta)
    {
        if (!reg.VarOff.IsConst)
        {
            meta = null;
        }
        if (reg.SMin < 0)
        {
            throw Reject($"R{regno} min value is negative, either use unsigned or 'var &= const'");
        }
        if (reg.UMin == 0 && !zeroSizeAllowed)
        {
            throw Reject($"R{regno} invalid zero-sized read: u64=[{(long)reg.UMin},{reg.UMax}]");
        }
        if (reg.UMax >= (ulong)MaxVariableOffset)
        {
            throw Reject($"R{regno} unbounded memory access, use 'var &= const' or 'if (var < const)'");
        }
        CheckHelperMemoryAccess(regno - 1, (int)reg.UMax, access, zeroSizeAllowed, meta);
        MarkPrecise(regno);
    }

    /// <summary>check_helper_mem_access: memory a helper reads or writes.</summary>
    private void CheckHelperMemoryAccess(int regno, int accessSize, ContextAccessKind access, bool zeroSizeAllowed, CallMeta? meta)
    {
        var reg = Reg(regno);
        switch (reg.Kind)
        {
            case RegisterKind.Packet or RegisterKind.PacketMeta:
                CheckPacketAccess(regno, reg, reg.Off, accessSize, zeroSizeAllowed);
                return;
            case RegisterKind.MapValue:
            {
                var map = reg.Map!.Value;
                if (access == ContextAccessKind.Write && (map.Flags & BpfMapFlags.ReadOnlyProgram) != 0)
                {
                    throw Reject($"write into map forbidden, value_size={map.ValueSize} off={reg.Off} size={accessSize}");
                }
                CheckMemoryRegionAccess(regno, reg, reg.Off, accessSize, map.ValueSize, zeroSizeAllowed);
                return;
            }
            case RegisterKind.Memory:
                CheckMemoryRegionAccess(regno, reg, reg.Off, accessSize, reg.MemSize, zeroSizeAllowed);
                return;
            case RegisterKind.Stack:
            {
                bool raw = meta is not null && access == ContextAccessKind.Write;
                CheckStackRangeInitialized(regno, reg.Off, accessSize, zeroSizeAllowed, access, raw);
                if (raw && reg.VarOff.IsConst)
                {
                    meta!.RawRegister = regno;
                    meta.RawAccessSize = accessSize;
                }
                return;
            }
            default:
                if (zeroSizeAllowed && accessSize == 0 && reg.IsNull)
                {
                    return;
                }
                throw Reject($"R{regno} type={StatePrinter.KindName(reg)} expected=fp");
        }
    }

    /// <summary>get_constant_map_key: a key on the stack that is a known constant, or -1.</summary>
    private long ConstantMapKey(in RegisterState key, int keySize)
    {
        if (key.Kind != RegisterKind.Stack || !key.VarOff.IsConst)
        {
            return -1;
        }
        var frame = FrameOf(key);
        int stackOff = key.Off + (int)(long)key.VarOff.Value;
        int slot = -stackOff - 1;
        int spi = slot / 8;
        int off = slot % 8;
        if (spi >= frame.Stack.Length)
        {
            return -1;
        }
        ref var stack = ref frame.Stack[spi];
        int zeroSize = 0;
        for (int i = off; i >= 0 && stack.Types[i] == StackSlotType.Zero; i--)
        {
            zeroSize++;
        }
        if (zeroSize >= keySize)
        {
            return 0;
        }
        if (!stack.IsSpilledScalar)
        {
            return -1;
        }
        int spillSize = 0;
        for (int i = off; i >= 0 && stack.Types[i] == StackSlotType.Spill; i--)
        {
            spillSize++;
        }
        if (spillSize != keySize || !stack.Spilled.VarOff.IsConst)
        {
            return -1;
        }
        MarkSlotPrecise(frame.FrameNo, spi);
        return (long)stack.Spilled.VarOff.Value;
    }

    /// <summary>check_map_func_compatibility: which helpers work on which map types.</summary>
    private void CheckMapFunctionCompatibility(MapDefinition map, int id)
    {
        bool ok = map.Type switch
        {
            BpfMapType.ProgArray => id == HelperTailCall,
            BpfMapType.PerfEventArray => id is 22 or 25 or 55 or 111 or 121,
            BpfMapType.RingBuf => id is 130 or 131 or 134 or 198 or 199 or 200,
            BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps => id == HelperMapLookup,
            BpfMapType.Queue or BpfMapType.Stack => id is 87 or 88 or 89,
            BpfMapType.BloomFilter => id is 87 or 89,
            _ => true,
        };
        ok &= id switch
        {
            HelperTailCall => map.Type == BpfMapType.ProgArray,
            22 or 25 or 55 or 111 or 121 => map.Type == BpfMapType.PerfEventArray,
            130 or 131 or 134 => map.Type == BpfMapType.RingBuf,
            88 => map.Type is BpfMapType.Queue or BpfMapType.Stack,
            87 or 89 => map.Type is BpfMapType.Queue or BpfMapType.Stack or BpfMapType.BloomFilter,
            _ => true,
        };
        if (!ok)
        {
            throw Reject($"cannot pass map_type {(int)map.Type} into func {HelperNames.NameOf(id)}#{id}");
        }
    }

    /// <summary>release_reference: the record is submitted; every pointer to it is gone.</summary>
    private void ReleaseReference(int refObjId)
    {
        if (_cur.References.RemoveAll(r => r.Id == refObjId) == 0)
        {
            throw Reject("verifier internal error: reference not found");
        }
        foreach (var frame in _cur.Frames)
        {
            for (int r = 0; r < FrameState.RegisterCount; r++)
            {
                if (frame.Registers[r].RefObjId == refObjId)
                {
                    frame.Registers[r].MarkUnknown();
                }
            }
            for (int s = 0; s < frame.Stack.Length; s++)
            {
                if (frame.Stack[s].IsSpilledRegister && frame.Stack[s].Spilled.RefObjId == refObjId)
                {
                    frame.Stack[s].Spilled.MarkUnknown();
                }
            }
        }
    }

    /// <summary>clear_all_pkt_pointers: the packet may have moved; its pointers become numbers.</summary>
    private void ClearAllPacketPointers()
    {
        foreach (var frame in _cur.Frames)
        {
            for (int r = 0; r < FrameState.RegisterCount; r++)
            {
                if (frame.Registers[r].IsAnyPacketPointer)
                {
                    frame.Registers[r].MarkUnknown();
                }
            }
            for (int s = 0; s < frame.Stack.Length; s++)
            {
                if (frame.Stack[s].IsSpilledRegister && frame.Stack[s].Spilled.IsAnyPacketPointer)
                {
                    frame.Stack[s].Spilled.MarkUnknown();
                }
            }
        }
    }

    private string ReferenceLeakMessage(string prefix)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (id, instruction) in _cur.References)
        {
            text.Append($"Unreleased reference id={id} alloc_insn={instruction}\n");
        }
        return text.Append($"{prefix} would lead to reference leak").ToString();
    }

    /// <summary>check_func_call: a new frame with the arguments; the caller's r0-r5 are gone.</summary>
    private void CheckLocalCall()
    {
        int target = _flow.Targets[_insnIdx];
        int function = _flow.FunctionStartingAt(target);
        if (_cur.Frames.Count >= Semantics.CallConvention.MaxCallFrames)
        {
            throw Reject($"the call stack of {_cur.Frames.Count + 1} frames is too deep");
        }
        var caller = _cur.CurrentFrame;
        var callee = new FrameState { CallSite = _insnIdx, FrameNo = _cur.Frames.Count, Subprogram = function };
        InitFrameRegisters(callee);
        for (int r = 1; r <= 5; r++)
        {
            callee.Registers[r] = caller.Registers[r];
        }
        _cur.Frames.Add(callee);
        for (int r = 0; r <= 5; r++)
        {
            caller.Registers[r] = RegisterState.NotInitialized;
        }
        if (_log.Enabled)
        {
            _log.WriteLine("caller:");
            PrintState(caller.FrameNo, printAll: true);
            _log.WriteLine("callee:");
            PrintState(callee.FrameNo, printAll: true);
        }
        // init_func_state: the new frame is printed whole at its first instruction.
        _log.ScratchAll();
        _insnIdx = target;
    }

    /// <summary>The exit instruction: return to the caller's frame, or end the program (true).</summary>
    private bool CheckExit()
    {
        if (_cur.Frames.Count > 1)
        {
            var callee = _cur.CurrentFrame;
            var r0 = callee.Registers[0];
            if (r0.Kind == RegisterKind.Stack)
            {
                throw Reject("cannot return stack pointer to the caller");
            }
            var caller = _cur.Frames[^2];
            caller.Registers[0] = r0;
            if (_log.Enabled)
            {
                _log.WriteLine("returning from callee:");
                PrintState(callee.FrameNo, printAll: true);
                _log.WriteLine($"to caller at {Slot(callee.CallSite + 1)}:");
                PrintState(caller.FrameNo, printAll: true);
            }
            _cur.Frames.RemoveAt(_cur.Frames.Count - 1);
            if (_functionChangesPacketData[callee.Subprogram])
            {
                ClearAllPacketPointers();
            }
            _insnIdx = callee.CallSite + 1;
            _doPrintState = true;
            return false;
        }
        CheckRead(0);
        if (_cur.References.Count > 0)
        {
            throw Reject(ReferenceLeakMessage("BPF_EXIT instruction in main prog"));
        }
        if (_programType.ReturnRange is var (min, max) && Reg(0).IsScalar && (Reg(0).SMin < min || Reg(0).SMax > max))
        {
            throw Reject($"At program exit the register R0 has smin={Reg(0).SMin} smax={Reg(0).SMax} should have been in [{min}, {max}]");
        }
        return true;
    }
}
