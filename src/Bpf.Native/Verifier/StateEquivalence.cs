namespace Bpf.Native.Verifier;

/// <summary>
/// When is a new state no more permissive than one already proven safe at the same instruction, so the new path
/// can stop there (kernel/bpf/verifier.c: states_equal, func_states_equal, regsafe, stacksafe, refsafe, check_ids)?
/// Only registers live at the instruction are compared; scalars must lie within the old ranges and tnum; pointers
/// must match, packet pointers with at least the old range; identities must map one to one. The exact mode
/// (bit-for-bit equality) detects loops that make no progress.
/// </summary>
internal static class StateEquivalence
{
    /// <summary>check_ids: old ids map to current ids one to one, consistently over the whole state.</summary>
    private sealed class IdMap
    {
        private readonly List<(int Old, int Cur)> _pairs = [];
        private int _tmpIdGen = int.MaxValue / 2;

        public bool Check(int oldId, int curId)
        {
            if ((oldId == 0) != (curId == 0))
            {
                return false;
            }
            if (oldId == 0)
            {
                return true;
            }
            foreach (var (old, cur) in _pairs)
            {
                if (old == oldId)
                {
                    return cur == curId;
                }
                if (cur == curId)
                {
                    return false;
                }
            }
            _pairs.Add((oldId, curId));
            return true;
        }

        /// <summary>check_scalar_ids: a scalar without an id gets a fresh one, so it can pair with anything unlinked.</summary>
        public bool CheckScalar(int oldId, int curId) =>
            Check(oldId != 0 ? oldId : ++_tmpIdGen, curId != 0 ? curId : ++_tmpIdGen);
    }

    /// <summary>Every field the same (states_maybe_looping's memcmp).</summary>
    public static bool Identical(in RegisterState a, in RegisterState b) =>
        a.Kind == b.Kind && a.MaybeNull == b.MaybeNull && a.RingBuffer == b.RingBuffer && a.Off == b.Off
        && a.Range == b.Range && a.MemSize == b.MemSize && a.Id == b.Id && a.AddConst == b.AddConst
        && a.RefObjId == b.RefObjId && a.FrameNo == b.FrameNo && Nullable.Equals(a.Map, b.Map) && a.VarOff == b.VarOff
        && a.SMin == b.SMin && a.SMax == b.SMax && a.UMin == b.UMin && a.UMax == b.UMax
        && a.S32Min == b.S32Min && a.S32Max == b.S32Max && a.U32Min == b.U32Min && a.U32Max == b.U32Max;

    /// <summary>Fields before the id (regs_exact's memcmp up to id).</summary>
    private static bool SameShape(in RegisterState a, in RegisterState b) =>
        a.Kind == b.Kind && a.MaybeNull == b.MaybeNull && a.RingBuffer == b.RingBuffer && a.Off == b.Off
        && a.Range == b.Range && a.MemSize == b.MemSize && Nullable.Equals(a.Map, b.Map) && a.VarOff == b.VarOff
        && a.SMin == b.SMin && a.SMax == b.SMax && a.UMin == b.UMin && a.UMax == b.UMax
        && a.S32Min == b.S32Min && a.S32Max == b.S32Max && a.U32Min == b.U32Min && a.U32Max == b.U32Max;

    public static bool StatesEqual(VerifierState old, VerifierState cur, ControlFlow flow, bool exact)
    {
        if (old.Frames.Count != cur.Frames.Count)
        {
            return false;
        }
        var ids = new IdMap();
        if (old.References.Count != cur.References.Count)
        {
            return false;
        }
        for (int i = 0; i < old.References.Count; i++)
        {
            if (!ids.Check(old.References[i].Id, cur.References[i].Id))
            {
                return false;
            }
        }
        int last = old.Frames.Count - 1;
        for (int f = 0; f <= last; f++)
        {
            if (old.Frames[f].CallSite != cur.Frames[f].CallSite)
            {
                return false;
            }
            ushort live;
            if (f == last)
            {
                live = flow.LiveBefore[old.Instruction];
            }
            else
            {
                // An outer frame resumes after its call: r0-r5 are rewritten there, r6-r9 are what it may read.
                int callSite = old.Frames[f + 1].CallSite;
                live = (ushort)(flow.LiveBefore[callSite + 1] & ~0x3f);
            }
            if (!FrameStatesEqual(old.Frames[f], cur.Frames[f], live, ids, exact))
            {
                return false;
            }
        }
        return true;
    }

    private static bool FrameStatesEqual(FrameState old, FrameState cur, ushort live, IdMap ids, bool exact)
    {
        for (int r = 0; r < FrameState.RegisterCount; r++)
        {
            if ((live & (1 << r)) == 0 && !exact)
            {
                continue;
            }
            if (!RegisterSafe(old.Registers[r], cur.Registers[r], ids, exact))
            {
                return false;
            }
        }
        return StackSafe(old, cur, ids, exact);
    }

    private static bool RegistersExact(in RegisterState old, in RegisterState cur, IdMap ids) =>
        SameShape(old, cur) && ids.Check(old.Id, cur.Id) && ids.Check(old.RefObjId, cur.RefObjId) && old.AddConst == cur.AddConst;

    /// <summary>regsafe.</summary>
    private static bool RegisterSafe(in RegisterState old, in RegisterState cur, IdMap ids, bool exact)
    {
        if (exact)
        {
            return RegistersExact(old, cur, ids) && old.FrameNo == cur.FrameNo;
        }
        if (old.Kind == RegisterKind.NotInit)
        {
            return true;
        }
        if (old.Kind != cur.Kind || old.MaybeNull != cur.MaybeNull || old.RingBuffer != cur.RingBuffer)
        {
            return false;
        }
        switch (old.Kind)
        {
            case RegisterKind.Scalar:
                if (!old.Precise)
                {
                    return true;
                }
                if (old.AddConst != cur.AddConst || (old.AddConst && old.Off != cur.Off))
                {
                    return false;
                }
                return old.RangeWithin(cur) && old.VarOff.Contains(cur.VarOff) && ids.CheckScalar(old.Id, cur.Id);
            case RegisterKind.MapValue or RegisterKind.Memory:
                return old.Off == cur.Off && old.MemSize == cur.MemSize && Nullable.Equals(old.Map, cur.Map)
                    && old.RangeWithin(cur) && old.VarOff.Contains(cur.VarOff)
                    && ids.Check(old.Id, cur.Id) && ids.Check(old.RefObjId, cur.RefObjId);
            case RegisterKind.Packet or RegisterKind.PacketMeta:
                if (cur.Range < old.Range || old.Off != cur.Off || !ids.Check(old.Id, cur.Id))
                {
                    return false;
                }
                return old.RangeWithin(cur) && old.VarOff.Contains(cur.VarOff);
            case RegisterKind.Stack:
                return RegistersExact(old, cur, ids) && old.FrameNo == cur.FrameNo;
            default:
                return RegistersExact(old, cur, ids);
        }
    }

    private static readonly RegisterState s_unbound = RegisterState.UnknownScalar();

    /// <summary>stacksafe: every byte the old state used is at least as good in the current one.</summary>
    private static bool StackSafe(FrameState old, FrameState cur, IdMap ids, bool exact)
    {
        int oldBytes = old.AllocatedBytes;
        int curBytes = cur.AllocatedBytes;
        for (int i = 0; i < oldBytes; i++)
        {
            int spi = i / 8;
            int index = i % 8;
            var oldType = old.Stack[spi].Types[index];
            if (exact && (i >= curBytes || oldType != cur.Stack[spi].Types[index]))
            {
                return false;
            }
            if (oldType is StackSlotType.Invalid or StackSlotType.Misc && !exact)
            {
                continue;
            }
            if (i >= curBytes)
            {
                return false;
            }
            var curType = cur.Stack[spi].Types[index];
            RegisterState? oldReg = ScalarForStack(old.Stack[spi]);
            RegisterState? curReg = ScalarForStack(cur.Stack[spi]);
            if (oldReg is { } o && curReg is { } c)
            {
                if (!RegisterSafe(o, c, ids, exact))
                {
                    return false;
                }
                i += 8 - 1 - index;
                continue;
            }
            if (oldType == StackSlotType.Misc && curType == StackSlotType.Zero)
            {
                continue;
            }
            if (oldType != curType)
            {
                return false;
            }
            if (index != 7)
            {
                continue;
            }
            if (oldType == StackSlotType.Spill && !RegisterSafe(old.Stack[spi].Spilled, cur.Stack[spi].Spilled, ids, exact))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>scalar_reg_for_stack: a 64-bit scalar spill, or an unknown scalar for all-data bytes.</summary>
    private static RegisterState? ScalarForStack(in StackSlot slot)
    {
        if (slot.IsFullSpill && slot.Spilled.Kind == RegisterKind.Scalar)
        {
            return slot.Spilled;
        }
        if (slot.IsAllMisc)
        {
            return s_unbound;
        }
        return null;
    }
}
