using Bpf.Native.Isa;

namespace Bpf.Native.Verifier;

/// <summary>
/// Conditional jumps (check_cond_jmp_op): a decided branch is followed alone; otherwise the taken side is pushed
/// for later and both sides learn from the test: scalar ranges (reg_set_min_max) shared with linked copies
/// (sync_linked_regs), null checks (mark_ptr_or_null_regs) and packet bounds proven against data_end
/// (try_match_pkt_pointers, find_good_pkt_pointers).
/// </summary>
internal sealed partial class KernelVerifier
{
    private void CheckConditionalJump(Instruction insn)
    {
        bool register = insn.Source == OperandSource.Register;
        CheckRead(insn.Dst);
        if (register)
        {
            CheckRead(insn.Src);
        }
        var condition = BranchConditions.Of(insn.Operation);
        bool is32 = insn.Info.Is32;
        int target = _flow.Targets[_insnIdx];
        var dst = Reg(insn.Dst);
        var src = register ? Reg(insn.Src) : RegisterState.KnownScalar((ulong)insn.Immediate);
        if ((register && src.Kind == RegisterKind.Stack) || dst.Kind == RegisterKind.Stack)
        {
            var entry = PushHistory();
            entry.SourceIsStackPointer |= register && src.Kind == RegisterKind.Stack;
            entry.DestinationIsStackPointer |= dst.Kind == RegisterKind.Stack;
        }

        int prediction = BranchAnalysis.IsBranchTaken(dst, src, condition, is32);
        if (prediction >= 0)
        {
            // The prediction relied on the values: they must stay exact wherever this path is compared.
            if (dst.IsScalar)
            {
                MarkPrecise(insn.Dst);
            }
            if (register && src.IsScalar)
            {
                MarkPrecise(insn.Src);
            }
            if (_log.Enabled)
            {
                PrintInsnState(_cur.CurrentFrameIndex);
            }
            _insnIdx = prediction == 1 ? target : _insnIdx + 1;
            return;
        }

        var linked = new List<(int Frame, int Location)>();
        if (register && src.IsScalar && src.Id != 0)
        {
            CollectLinked(src.Id, linked);
        }
        if (dst.IsScalar && dst.Id != 0)
        {
            CollectLinked(dst.Id, linked);
        }
        if (linked.Count > 1)
        {
            PushHistory().Linked = linked;
        }
        var taken = PushBranch(target, _insnIdx);
        var takenRegs = taken.Registers;
        bool takenPossible = true;
        bool fallPossible = true;
        if (register && insn.Dst == insn.Src)
        {
            // A register compared with itself teaches nothing (and must not be narrowed as two registers).
        }
        else if (register)
        {
            BranchAnalysis.SetMinMax(ref takenRegs[insn.Dst], ref takenRegs[insn.Src], ref Reg(insn.Dst), ref Reg(insn.Src), condition, is32);
            if (Reg(insn.Src).IsScalar)
            {
                takenPossible &= !takenRegs[insn.Src].HasInconsistentBounds;
                fallPossible &= !Reg(insn.Src).HasInconsistentBounds;
            }
        }
        else
        {
            var fakeTaken = src;
            var fakeFall = src;
            BranchAnalysis.SetMinMax(ref takenRegs[insn.Dst], ref fakeTaken, ref Reg(insn.Dst), ref fakeFall, condition, is32);
        }
        if (Reg(insn.Dst).IsScalar)
        {
            takenPossible &= !takenRegs[insn.Dst].HasInconsistentBounds;
            fallPossible &= !Reg(insn.Dst).HasInconsistentBounds;
        }

        if (register && Reg(insn.Src).IsScalar && Reg(insn.Src).Id != 0)
        {
            SyncLinkedRegisters(_cur, insn.Src, linked);
            SyncLinkedRegisters(taken, insn.Src, linked);
        }
        if (Reg(insn.Dst).IsScalar && Reg(insn.Dst).Id != 0)
        {
            SyncLinkedRegisters(_cur, insn.Dst, linked);
            SyncLinkedRegisters(taken, insn.Dst, linked);
        }

        // One maybe-null and one not-null pointer compared for equality: equal means not null.
        if (!is32 && register && src.IsPointer && dst.IsPointer && src.MaybeNull != dst.MaybeNull
            && condition is BranchCondition.Jeq or BranchCondition.Jne)
        {
            var equalSide = condition == BranchCondition.Jeq ? taken : _cur;
            int nullable = src.MaybeNull ? insn.Src : insn.Dst;
            MarkPointerNotNull(ref equalSide.Registers[nullable]);
        }

        if (!is32 && !register && insn.Immediate == 0 && condition is BranchCondition.Jeq or BranchCondition.Jne && dst.MaybeNull)
        {
            MarkPointerOrNullRegisters(_cur, insn.Dst, isNull: condition == BranchCondition.Jne);
            MarkPointerOrNullRegisters(taken, insn.Dst, isNull: condition == BranchCondition.Jeq);
        }
        else if (register && !is32)
        {
            TryMatchPacketPointers(condition, insn, dst, src, taken);
        }

        if (_log.Enabled)
        {
            PrintInsnState(_cur.CurrentFrameIndex);
        }

        if (!takenPossible)
        {
            // The taken side cannot happen: drop it again.
            var dropped = _pending.Pop();
            if (dropped.State.Parent is not null)
            {
                UpdateBranchCounts(dropped.State);
            }
        }
        if (!fallPossible)
        {
            // Only the taken side can happen: continue there instead.
            if (takenPossible)
            {
                var next = _pending.Pop();
                if (next.State.Parent is not null)
                {
                    next.State.Parent.Branches--;
                }
                _cur = next.State;
                _insnIdx = target;
                return;
            }
            throw Reject("both branches of a conditional jump are impossible");
        }
        _insnIdx++;
    }

    /// <summary>
    /// collect_linked_regs: the live scalars and spilled scalars sharing <paramref name="id"/> (at most six; one
    /// that does not fit loses its id), for narrowing together and for precision backtracking.
    /// </summary>
    private void CollectLinked(int id, List<(int Frame, int Location)> linked)
    {
        const int maxLinked = 6;
        void Add(ref RegisterState reg, int frame, int location)
        {
            if (!reg.IsScalar || reg.Id != id || linked.Contains((frame, location)))
            {
                return;
            }
            if (linked.Count < maxLinked)
            {
                linked.Add((frame, location));
            }
            else
            {
                reg.Id = 0;
                reg.AddConst = false;
                reg.Off = 0;
            }
        }
        for (int f = _cur.CurrentFrameIndex; f >= 0; f--)
        {
            var frame = _cur.Frames[f];
            int at = f == _cur.CurrentFrameIndex ? _insnIdx : _cur.Frames[f + 1].CallSite;
            ushort live = _flow.LiveBefore[at];
            for (int r = 0; r < 10; r++)
            {
                if ((live & (1 << r)) != 0)
                {
                    Add(ref frame.Registers[r], f, r);
                }
            }
            for (int s = 0; s < frame.Stack.Length && s < 64; s++)
            {
                if (frame.Stack[s].IsSpilledRegister)
                {
                    Add(ref frame.Stack[s].Spilled, f, -1 - s);
                }
            }
        }
    }

    /// <summary>sync_linked_regs: every linked scalar gets the known register's range (plus its own delta).</summary>
    private static void SyncLinkedRegisters(VerifierState state, int knownRegister, List<(int Frame, int Location)> linked)
    {
        int knownFrame = state.CurrentFrameIndex;
        var known = state.Frames[knownFrame].Registers[knownRegister];
        foreach (var (f, location) in linked)
        {
            if (f == knownFrame && location == knownRegister)
            {
                continue;
            }
            var frame = state.Frames[f];
            if (location >= 0)
            {
                SyncLinked(ref frame.Registers[location], known);
            }
            else if (frame.Stack[-1 - location].IsSpilledRegister)
            {
                SyncLinked(ref frame.Stack[-1 - location].Spilled, known);
            }
        }
    }

    private static void SyncLinked(ref RegisterState reg, in RegisterState known)
    {
        if (reg.Kind != RegisterKind.Scalar || reg.Id != known.Id)
        {
            return;
        }
        if ((!reg.AddConst && !known.AddConst) || reg.Off == known.Off)
        {
            int id = reg.Id;
            bool addConst = reg.AddConst;
            int off = reg.Off;
            reg = known;
            reg.Id = id;
            reg.AddConst = addConst;
            reg.Off = off;
            return;
        }
        int savedOff = reg.Off;
        bool savedAddConst = reg.AddConst;
        var delta = RegisterState.KnownScalar((ulong)(long)(reg.Off - known.Off));
        reg = known;
        reg.Off = savedOff;
        reg.AddConst = savedAddConst;
        var result = reg;
        ScalarArithmetic.Apply(ref result, delta, AluOp.Add, alu32: false);
        result.Id = known.Id;
        result.Off = savedOff;
        result.AddConst = savedAddConst;
        reg = result;
    }

    /// <summary>mark_ptr_not_null_reg: a map lookup's result becomes a map value, or the inner map of a map-in-map.</summary>
    private static void MarkPointerNotNull(ref RegisterState reg)
    {
        reg.MaybeNull = false;
        if (reg.Kind == RegisterKind.MapValue && reg.MapObject is Bpf.Native.Maps.ArrayOfMapsMap arrayOfMaps)
        {
            reg.Kind = RegisterKind.ConstMapPointer;
            reg.Map = arrayOfMaps.InnerTemplate;
            reg.MapObject = null;
        }
        else if (reg.Kind == RegisterKind.MapValue && reg.MapObject is Bpf.Native.Maps.HashOfMapsMap hashOfMaps)
        {
            reg.Kind = RegisterKind.ConstMapPointer;
            reg.Map = hashOfMaps.InnerTemplate;
            reg.MapObject = null;
        }
    }

    /// <summary>mark_ptr_or_null_regs: after "if (p == NULL)", every copy of p is NULL on one side and valid on the other.</summary>
    private static void MarkPointerOrNullRegisters(VerifierState state, int regno, bool isNull)
    {
        var regs = state.Registers;
        int id = regs[regno].Id;
        int refObjId = regs[regno].RefObjId;
        if (refObjId != 0 && refObjId == id && isNull)
        {
            state.References.RemoveAll(r => r.Id == id);
        }
        foreach (var frame in state.Frames)
        {
            for (int r = 0; r < FrameState.RegisterCount; r++)
            {
                MarkPointerOrNull(ref frame.Registers[r], id, isNull);
            }
            for (int s = 0; s < frame.Stack.Length; s++)
            {
                if (frame.Stack[s].IsSpilledRegister)
                {
                    MarkPointerOrNull(ref frame.Stack[s].Spilled, id, isNull);
                }
            }
        }
    }

    private static void MarkPointerOrNull(ref RegisterState reg, int id, bool isNull)
    {
        if (!reg.MaybeNull || reg.Id != id || id == 0)
        {
            return;
        }
        if (isNull)
        {
            reg.Kind = RegisterKind.Scalar;
            reg.MaybeNull = false;
            reg.RingBuffer = false;
            reg.Map = null;
            reg.MapObject = null;
            reg.MemSize = 0;
            reg.Id = 0;
            reg.RefObjId = 0;
            return;
        }
        MarkPointerNotNull(ref reg);
        reg.Id = 0;
    }

    /// <summary>try_match_pkt_pointers: a packet pointer compared with data_end proves a range on one side.</summary>
    private void TryMatchPacketPointers(BranchCondition condition, Instruction insn, in RegisterState dst, in RegisterState src, VerifierState taken)
    {
        bool dstPacketVsEnd = (dst.Kind == RegisterKind.Packet && src.Kind == RegisterKind.PacketEnd)
            || (dst.Kind == RegisterKind.PacketMeta && IsInitPacketPointer(src, RegisterKind.Packet));
        bool endVsSrcPacket = (dst.Kind == RegisterKind.PacketEnd && src.Kind == RegisterKind.Packet)
            || (IsInitPacketPointer(dst, RegisterKind.Packet) && src.Kind == RegisterKind.PacketMeta);
        var fall = _cur;
        switch (condition)
        {
            case BranchCondition.Jgt when dstPacketVsEnd:
                FindGoodPacketPointers(fall, dst, false);
                MarkPacketEnd(taken, insn.Dst, true);
                break;
            case BranchCondition.Jgt when endVsSrcPacket:
                FindGoodPacketPointers(taken, src, true);
                MarkPacketEnd(fall, insn.Src, false);
                break;
            case BranchCondition.Jlt when dstPacketVsEnd:
                FindGoodPacketPointers(taken, dst, true);
                MarkPacketEnd(fall, insn.Dst, false);
                break;
            case BranchCondition.Jlt when endVsSrcPacket:
                FindGoodPacketPointers(fall, src, false);
                MarkPacketEnd(taken, insn.Src, true);
                break;
            case BranchCondition.Jge when dstPacketVsEnd:
                FindGoodPacketPointers(fall, dst, true);
                MarkPacketEnd(taken, insn.Dst, false);
                break;
            case BranchCondition.Jge when endVsSrcPacket:
                FindGoodPacketPointers(taken, src, false);
                MarkPacketEnd(fall, insn.Src, true);
                break;
            case BranchCondition.Jle when dstPacketVsEnd:
                FindGoodPacketPointers(taken, dst, false);
                MarkPacketEnd(fall, insn.Dst, true);
                break;
            case BranchCondition.Jle when endVsSrcPacket:
                FindGoodPacketPointers(fall, src, true);
                MarkPacketEnd(taken, insn.Src, false);
                break;
        }
    }

    /// <summary>reg_is_init_pkt_pointer: the packet start itself (no offset).</summary>
    private static bool IsInitPacketPointer(in RegisterState reg, RegisterKind kind) =>
        reg.Kind == kind && reg.Off == 0 && reg.VarOff.IsConst && reg.VarOff.Value == 0;

    /// <summary>
    /// find_good_pkt_pointers: "ptr + off &lt;= data_end" holds, so every packet pointer with ptr's id may access
    /// [0, off) (or [0, off] when the comparison was strict).
    /// </summary>
    private static void FindGoodPacketPointers(VerifierState state, in RegisterState dst, bool rangeRightOpen)
    {
        if (dst.Off < 0 || (dst.Off == 0 && rangeRightOpen))
        {
            return;
        }
        if (dst.UMax > MaxPacketOffset || dst.UMax + (ulong)dst.Off > MaxPacketOffset)
        {
            return;
        }
        int newRange = dst.Off + (rangeRightOpen ? 1 : 0);
        var kind = dst.Kind;
        int id = dst.Id;
        foreach (var frame in state.Frames)
        {
            for (int r = 0; r < FrameState.RegisterCount; r++)
            {
                ref var reg = ref frame.Registers[r];
                if (reg.Kind == kind && reg.Id == id)
                {
                    reg.Range = Math.Max(reg.Range, newRange);
                }
            }
            for (int s = 0; s < frame.Stack.Length; s++)
            {
                ref var stack = ref frame.Stack[s];
                if (stack.IsSpilledRegister && stack.Spilled.Kind == kind && stack.Spilled.Id == id)
                {
                    stack.Spilled.Range = Math.Max(stack.Spilled.Range, newRange);
                }
            }
        }
    }

    /// <summary>mark_pkt_end: after "ptr > data_end" the pointer is beyond the end (by at least one byte when strict).</summary>
    private static void MarkPacketEnd(VerifierState state, int regno, bool rangeOpen)
    {
        ref var reg = ref state.Registers[regno];
        if (reg.Kind != RegisterKind.Packet)
        {
            return;
        }
        reg.Range = rangeOpen ? BranchAnalysis.BeyondPacketEnd : BranchAnalysis.AtPacketEnd;
    }
}
