namespace Bpf.Native.Verifier;

/// <summary>
/// Stack accesses (check_stack_access_within_bounds, check_stack_read/write_fixed_off and _var_off,
/// check_stack_range_initialized): spills keep a register's whole state, other writes mark bytes as data or zero,
/// and a privileged program may read bytes never written.
/// </summary>
internal sealed partial class KernelVerifier
{
    private FrameState FrameOf(in RegisterState stackPointer) => _cur.Frames[stackPointer.FrameNo];

    private void CheckStackAccessWithinBounds(int regno, in RegisterState reg, int off, int size, ContextAccessKind type)
    {
        string what = type == ContextAccessKind.Read ? " read from" : " write to";
        long minOff;
        long maxOff;
        if (reg.VarOff.IsConst)
        {
            minOff = (long)reg.VarOff.Value + off;
            maxOff = minOff + size;
        }
        else
        {
            if (reg.SMax >= MaxVariableOffset || reg.SMin <= -MaxVariableOffset)
            {
                throw Reject($"invalid unbounded variable-offset{what} stack R{regno}");
            }
            minOff = reg.SMin + off;
            maxOff = reg.SMax + off + size;
        }
        bool error = minOff < -MaxStackBytes || minOff > -1 || maxOff > 0 || size < 0;
        if (error)
        {
            throw Reject(reg.VarOff.IsConst
                ? $"invalid{what} stack R{regno} off={off} size={size}"
                : $"invalid variable-offset{what} stack R{regno} var_off={reg.VarOff} off={off} size={size}");
        }
        GrowStack(FrameOf(reg), (int)-minOff);
    }

    /// <summary>grow_stack_state, and the function's stack depth for the frame layout.</summary>
    private void GrowStack(FrameState frame, int bytes)
    {
        frame.GrowStack(bytes);
        int rounded = (bytes + 7) / 8 * 8;
        if (_stackDepth[frame.Subprogram] < rounded)
        {
            _stackDepth[frame.Subprogram] = rounded;
        }
    }

    private void CheckStackRead(int regno, in RegisterState reg, int off, int size, int dstRegno)
    {
        var frame = FrameOf(reg);
        if (dstRegno < 0 && !reg.VarOff.IsConst)
        {
            throw Reject($"variable offset stack pointer cannot be passed into helper function; var_off={reg.VarOff} off={off} size={size}");
        }
        if (reg.VarOff.IsConst)
        {
            ReadStackFixed(frame, off + (int)(long)reg.VarOff.Value, size, dstRegno);
            return;
        }
        CheckStackRangeInitialized(regno, off, size, zeroSizeAllowed: false, ContextAccessKind.Read, rawMode: false);
        long minOff = reg.SMin + off;
        long maxOff = reg.SMax + off;
        MarkRegisterStackRead(frame, (int)minOff, (int)maxOff + size, dstRegno);
    }

    /// <summary>check_stack_read_fixed_off.</summary>
    private void ReadStackFixed(FrameState frame, int off, int size, int dstRegno)
    {
        int slot = -off - 1;
        int spi = slot / 8;
        MarkSlotScratched(frame, spi);
        ref var stack = ref frame.Stack[spi];
        if (stack.IsSpilledRegister)
        {
            int spillSize = 1;
            for (int i = 7; i > 0 && stack.Types[i - 1] == StackSlotType.Spill; i--)
            {
                spillSize++;
            }
            if (size != 8 || spillSize != 8)
            {
                if (stack.Spilled.Kind != RegisterKind.Scalar)
                {
                    throw Reject("invalid size of register fill");
                }
                if (dstRegno < 0)
                {
                    return;
                }
                ref var dst = ref Reg(dstRegno);
                if (size <= spillSize && NarrowStackAccessOk(off, size, spillSize))
                {
                    if (size == 4 && spillSize == 4 && stack.Spilled.Width <= 32)
                    {
                        AssignScalarIdBeforeMove(ref stack.Spilled);
                    }
                    dst = stack.Spilled;
                    if (stack.Spilled.Width > size * 8)
                    {
                        dst.Id = 0;
                        dst.AddConst = false;
                        dst.Off = 0;
                    }
                    RecordStackAccess(frame, spi);
                }
                else
                {
                    int spills = 0;
                    int zeros = 0;
                    for (int i = 0; i < size; i++)
                    {
                        var type = stack.Types[(slot - i) % 8];
                        if (type == StackSlotType.Spill)
                        {
                            spills++;
                        }
                        else if (type == StackSlotType.Zero)
                        {
                            zeros++;
                        }
                    }
                    if (spills == size && stack.Spilled.VarOff.IsConst && stack.Spilled.VarOff.Value == 0)
                    {
                        dst = RegisterState.ConstZero();
                        RecordStackAccess(frame, spi);
                    }
                    else if (zeros == size)
                    {
                        dst = RegisterState.ConstZero();
                    }
                    else
                    {
                        dst.MarkUnknown();
                    }
                }
                return;
            }
            if (dstRegno >= 0)
            {
                Reg(dstRegno) = stack.Spilled;
            }
            RecordStackAccess(frame, spi);
            return;
        }
        if (dstRegno >= 0)
        {
            MarkRegisterStackRead(frame, off, off + size, dstRegno);
        }
    }

    /// <summary>bpf_stack_narrow_access_ok: the low bytes of a spill, little-endian.</summary>
    private static bool NarrowStackAccessOk(int off, int size, int spillSize) => off % 8 == 0;

    /// <summary>mark_reg_stack_read: all-zero bytes read as 0, anything else as an unknown scalar.</summary>
    private void MarkRegisterStackRead(FrameState frame, int minOff, int maxOff, int dstRegno)
    {
        int zeros = 0;
        for (int i = minOff; i < maxOff; i++)
        {
            int slot = -i - 1;
            int spi = slot / 8;
            MarkSlotScratched(frame, spi);
            if (frame.Stack[spi].Types[slot % 8] != StackSlotType.Zero)
            {
                break;
            }
            zeros++;
        }
        if (zeros == maxOff - minOff)
        {
            Reg(dstRegno) = RegisterState.ConstZero();
        }
        else
        {
            Reg(dstRegno).MarkUnknown();
        }
    }

    private void MarkSlotScratched(FrameState frame, int spi)
    {
        if (frame == _cur.CurrentFrame)
        {
            _log.ScratchSlot(spi);
        }
    }

    private void CheckStackWrite(int regno, in RegisterState reg, int off, int size, int valueRegno, long? storeImmediate)
    {
        var frame = FrameOf(reg);
        if (reg.VarOff.IsConst)
        {
            WriteStackFixed(frame, off + (int)(long)reg.VarOff.Value, size, valueRegno, storeImmediate);
        }
        else
        {
            WriteStackVariable(frame, reg, off, size, valueRegno, storeImmediate);
        }
    }

    /// <summary>check_stack_write_fixed_off.</summary>
    private void WriteStackFixed(FrameState frame, int off, int size, int valueRegno, long? storeImmediate)
    {
        int slot = -off - 1;
        int spi = slot / 8;
        MarkSlotScratched(frame, spi);
        ref var stack = ref frame.Stack[spi];
        RegisterState? value = valueRegno >= 0 ? Reg(valueRegno) : null;
        if (value is { Kind: RegisterKind.Scalar } && off % 8 == 0)
        {
            bool fits = value.Value.Width <= size * 8;
            if (fits)
            {
                AssignScalarIdBeforeMove(ref Reg(valueRegno));
            }
            SaveRegisterState(ref stack, Reg(valueRegno), size);
            if (!fits)
            {
                stack.Spilled.Id = 0;
                stack.Spilled.AddConst = false;
                stack.Spilled.Off = 0;
            }
            RecordStackAccess(frame, spi);
            return;
        }
        if (value is null && off % 8 == 0 && storeImmediate is long immediate)
        {
            SaveRegisterState(ref stack, RegisterState.KnownScalar((ulong)immediate), size);
            RecordStackAccess(frame, spi);
            return;
        }
        if (value is { } pointer && pointer.Kind != RegisterKind.Scalar)
        {
            if (size != 8)
            {
                throw Reject("invalid size of register spill");
            }
            if (frame != _cur.CurrentFrame && pointer.Kind == RegisterKind.Stack)
            {
                throw Reject("cannot spill pointers to stack into stack frame of the caller");
            }
            SaveRegisterState(ref stack, pointer, size);
            RecordStackAccess(frame, spi);
            return;
        }
        stack.Spilled = RegisterState.NotInitialized;
        if (stack.Types[7] == StackSlotType.Spill)
        {
            for (int i = 0; i < 8; i++)
            {
                if (stack.Types[i] != StackSlotType.Invalid)
                {
                    stack.Types[i] = StackSlotType.Misc;
                }
            }
        }
        var type = (value is { } zero && zero.IsNull) || (value is null && storeImmediate == 0)
            ? StackSlotType.Zero
            : StackSlotType.Misc;
        if (type == StackSlotType.Zero)
        {
            MarkPrecise(valueRegno);
        }
        for (int i = 0; i < size; i++)
        {
            stack.Types[(slot - i) % 8] = type;
        }
    }

    /// <summary>save_register_state: a spill of <paramref name="size"/> bytes keeps the register's state.</summary>
    private static void SaveRegisterState(ref StackSlot stack, in RegisterState reg, int size)
    {
        stack.Spilled = reg;
        int i;
        for (i = 8; i > 8 - size; i--)
        {
            stack.Types[i - 1] = StackSlotType.Spill;
        }
        for (; i > 0; i--)
        {
            // mark_stack_slot_misc: zeros and never-written bytes stay as they are.
            if (stack.Types[i - 1] is not (StackSlotType.Zero or StackSlotType.Invalid))
            {
                stack.Types[i - 1] = StackSlotType.Misc;
            }
        }
    }

    /// <summary>check_stack_write_var_off: every byte the write may touch becomes data (or stays zero for a zero).</summary>
    private void WriteStackVariable(FrameState frame, in RegisterState reg, int off, int size, int valueRegno, long? storeImmediate)
    {
        long minOff = reg.SMin + off;
        long maxOff = reg.SMax + off + size;
        bool writingZero = (valueRegno >= 0 && Reg(valueRegno).IsNull) || (valueRegno < 0 && storeImmediate == 0);
        for (long i = minOff; i < maxOff; i++)
        {
            int slot = (int)(-i - 1);
            int spi = slot / 8;
            MarkSlotScratched(frame, spi);
            ref var stack = ref frame.Stack[spi];
            var type = stack.Types[slot % 8];
            if (writingZero && type == StackSlotType.Spill && stack.IsSpilledScalar
                && stack.Spilled.VarOff.IsConst && stack.Spilled.VarOff.Value == 0)
            {
                continue;
            }
            stack.Spilled.Kind = RegisterKind.NotInit;
            stack.Types[slot % 8] = writingZero && type == StackSlotType.Zero ? StackSlotType.Zero : StackSlotType.Misc;
        }
    }

    /// <summary>
    /// check_stack_range_initialized for helper memory arguments and variable-offset reads. A privileged program may
    /// pass any bytes; a helper that writes (raw mode) leaves data behind, done by the caller after the call.
    /// </summary>
    private void CheckStackRangeInitialized(int regno, int off, int accessSize, bool zeroSizeAllowed, ContextAccessKind type, bool rawMode)
    {
        var reg = Reg(regno);
        if (accessSize == 0 && !zeroSizeAllowed)
        {
            throw Reject("invalid zero-sized read");
        }
        CheckStackAccessWithinBounds(regno, reg, off, accessSize, type);
        var frame = FrameOf(reg);
        long minOff;
        long maxOff;
        if (reg.VarOff.IsConst)
        {
            minOff = maxOff = (long)reg.VarOff.Value + off;
        }
        else
        {
            rawMode = false;
            minOff = reg.SMin + off;
            maxOff = reg.SMax + off;
        }
        if (rawMode)
        {
            return;
        }
        bool clobber = type == ContextAccessKind.Write;
        for (long i = minOff; i < maxOff + accessSize; i++)
        {
            int slot = (int)(-i - 1);
            int spi = slot / 8;
            ref var stack = ref frame.Stack[spi];
            var slotType = stack.Types[slot % 8];
            if (slotType == StackSlotType.Misc)
            {
                continue;
            }
            if (slotType is StackSlotType.Zero or StackSlotType.Invalid)
            {
                if (clobber)
                {
                    stack.Types[slot % 8] = StackSlotType.Misc;
                }
                continue;
            }
            if (stack.IsSpilledRegister && clobber)
            {
                stack.Spilled.MarkUnknown();
                for (int j = 0; j < 8; j++)
                {
                    if (stack.Types[j] != StackSlotType.Invalid)
                    {
                        stack.Types[j] = StackSlotType.Misc;
                    }
                }
            }
        }
    }
}
