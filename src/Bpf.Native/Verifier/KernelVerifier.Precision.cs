using Bpf.Native.Isa;

namespace Bpf.Native.Verifier;

/// <summary>
/// Precision tracking (kernel/bpf/verifier.c: __mark_chain_precision, backtrack_insn, propagate_precision). A scalar
/// is compared by range when states are compared only if its value decided something: a branch the verifier
/// predicted, a pointer offset, a size. When that happens, the instructions of the path are walked backwards to
/// find where the value came from, and the registers and stack slots holding it are marked precise in every
/// checkpoint on the way. Everything else in a checkpoint matches any scalar, which is what lets loops whose
/// counters decide nothing converge.
/// </summary>
internal sealed partial class KernelVerifier
{
    private const int MaxFrames = 8;

    private HistoryEntry? _currentHistoryEntry;

    /// <summary>The registers and stack slots, per frame, whose values backtracking still looks for.</summary>
    private sealed class Backtrack
    {
        public int Frame;
        public readonly uint[] Registers = new uint[MaxFrames];
        public readonly ulong[] Slots = new ulong[MaxFrames];

        public bool Empty
        {
            get
            {
                for (int f = 0; f < MaxFrames; f++)
                {
                    if (Registers[f] != 0 || Slots[f] != 0)
                    {
                        return false;
                    }
                }
                return true;
            }
        }

        public bool IsSet(int register) => (Registers[Frame] & (1u << register)) != 0;

        public void Set(int register) => Registers[Frame] |= 1u << register;

        public void Clear(int register) => Registers[Frame] &= ~(1u << register);

        public bool IsSlotSet(int frame, int slot) => slot < 64 && (Slots[frame] & (1UL << slot)) != 0;

        public void SetSlot(int frame, int slot)
        {
            if (slot < 64)
            {
                Slots[frame] |= 1UL << slot;
            }
        }

        public void ClearSlot(int frame, int slot)
        {
            if (slot < 64)
            {
                Slots[frame] &= ~(1UL << slot);
            }
        }
    }

    /// <summary>push_jmp_history: record how this instruction was reached, with flags merged per instruction.</summary>
    private HistoryEntry PushHistory()
    {
        if (_currentHistoryEntry is not null)
        {
            return _currentHistoryEntry;
        }
        var entry = new HistoryEntry { Instruction = _insnIdx, Previous = _prevInsnIdx };
        _cur.History.Add(entry);
        _currentHistoryEntry = entry;
        return entry;
    }

    private void RecordStackAccess(FrameState frame, int slot)
    {
        var entry = PushHistory();
        entry.StackFrame = frame.FrameNo;
        entry.StackSlot = slot;
    }

    /// <summary>mark_chain_precision for a register of the current frame.</summary>
    private void MarkPrecise(int regno)
    {
        if (regno < 0 || !_cur.Registers[regno].IsScalar)
        {
            return;
        }
        var bt = new Backtrack { Frame = _cur.CurrentFrameIndex };
        bt.Set(regno);
        MarkChainPrecision(_cur, bt);
    }

    /// <summary>A stack slot's spilled scalar is relied on (a constant map key).</summary>
    private void MarkSlotPrecise(int frame, int slot)
    {
        var bt = new Backtrack { Frame = _cur.CurrentFrameIndex };
        bt.SetSlot(frame, slot);
        MarkChainPrecision(_cur, bt);
    }

    private void MarkChainPrecision(VerifierState start, Backtrack bt)
    {
        if (bt.Empty)
        {
            return;
        }
        var state = start;
        int last = start.Instruction;
        int first = start.FirstInstruction;
        int subsequent = -1;
        bool skipFirst = true;
        while (true)
        {
            int history = state.History.Count;
            for (int i = last; ;)
            {
                if (skipFirst)
                {
                    skipFirst = false;
                }
                else
                {
                    var entry = history > 0 && state.History[history - 1].Instruction == i ? state.History[history - 1] : null;
                    if (!BacktrackInstruction(i, subsequent, entry, bt))
                    {
                        MarkAllScalarsPrecise(start);
                        return;
                    }
                }
                if (bt.Empty)
                {
                    return;
                }
                subsequent = i;
                i = PreviousInstruction(state, i, ref history, first);
                if (i < 0)
                {
                    break;
                }
            }
            state = state.Parent;
            if (state is null)
            {
                break;
            }
            for (int f = bt.Frame; f >= 0; f--)
            {
                if (f >= state.Frames.Count)
                {
                    MarkAllScalarsPrecise(start);
                    return;
                }
                var frame = state.Frames[f];
                for (int r = 0; r < FrameState.RegisterCount; r++)
                {
                    if ((bt.Registers[f] & (1u << r)) == 0)
                    {
                        continue;
                    }
                    ref var reg = ref frame.Registers[r];
                    if (reg.Kind != RegisterKind.Scalar || reg.Precise)
                    {
                        bt.Registers[f] &= ~(1u << r);
                    }
                    else
                    {
                        reg.Precise = true;
                    }
                }
                for (int s = 0; s < 64; s++)
                {
                    if ((bt.Slots[f] & (1UL << s)) == 0)
                    {
                        continue;
                    }
                    if (s >= frame.Stack.Length || !frame.Stack[s].IsSpilledScalar)
                    {
                        bt.Slots[f] &= ~(1UL << s);
                        continue;
                    }
                    ref var spilled = ref frame.Stack[s].Spilled;
                    if (spilled.Precise)
                    {
                        bt.Slots[f] &= ~(1UL << s);
                    }
                    else
                    {
                        spilled.Precise = true;
                    }
                }
            }
            if (bt.Empty)
            {
                return;
            }
            subsequent = first;
            last = state.LastInstruction;
            first = state.FirstInstruction;
        }
        if (!bt.Empty)
        {
            MarkAllScalarsPrecise(start);
        }
    }

    /// <summary>get_prev_insn_idx: the instruction before <paramref name="i"/> on this path, or -1 at the stretch's start.</summary>
    private static int PreviousInstruction(VerifierState state, int i, ref int history, int first)
    {
        if (i == first)
        {
            if (history == 0)
            {
                return -1;
            }
            if (history == 1 && state.History[0].Instruction == i)
            {
                return -1;
            }
        }
        if (history > 0 && state.History[history - 1].Instruction == i)
        {
            i = state.History[history - 1].Previous;
            history--;
            return i;
        }
        return i - 1;
    }

    /// <summary>mark_all_scalars_precise: the big hammer when backtracking cannot follow a value.</summary>
    private static void MarkAllScalarsPrecise(VerifierState start)
    {
        for (var state = start.Parent; state is not null; state = state.Parent)
        {
            foreach (var frame in state.Frames)
            {
                for (int r = 0; r < 10; r++)
                {
                    if (frame.Registers[r].IsScalar)
                    {
                        frame.Registers[r].Precise = true;
                    }
                }
                for (int s = 0; s < frame.Stack.Length; s++)
                {
                    if (frame.Stack[s].IsSpilledScalar)
                    {
                        frame.Stack[s].Spilled.Precise = true;
                    }
                }
            }
        }
    }

    /// <summary>mark_all_scalars_imprecise: a new checkpoint starts knowing nothing is precise.</summary>
    private static void MarkAllScalarsImprecise(VerifierState state)
    {
        foreach (var frame in state.Frames)
        {
            for (int r = 0; r < FrameState.RegisterCount; r++)
            {
                frame.Registers[r].Precise = false;
            }
            for (int s = 0; s < frame.Stack.Length; s++)
            {
                frame.Stack[s].Spilled.Precise = false;
            }
        }
    }

    /// <summary>propagate_precision: a path pruned by an old state inherits what the old state found precise.</summary>
    private void PropagatePrecision(VerifierState old, VerifierState cur)
    {
        var bt = new Backtrack { Frame = old.CurrentFrameIndex };
        for (int f = old.CurrentFrameIndex; f >= 0; f--)
        {
            var frame = old.Frames[f];
            for (int r = 0; r < 10; r++)
            {
                if (frame.Registers[r].IsScalar && frame.Registers[r].Precise)
                {
                    bt.Registers[f] |= 1u << r;
                }
            }
            for (int s = 0; s < frame.Stack.Length && s < 64; s++)
            {
                if (frame.Stack[s].IsSpilledScalar && frame.Stack[s].Spilled.Precise)
                {
                    bt.Slots[f] |= 1UL << s;
                }
            }
        }
        MarkChainPrecision(cur, bt);
    }

    /// <summary>bt_sync_linked_regs: scalars linked at a conditional jump are precise together.</summary>
    private static void SyncLinkedBacktrack(Backtrack bt, HistoryEntry? entry)
    {
        if (entry?.Linked is not { } linked)
        {
            return;
        }
        bool any = false;
        foreach (var (frame, location) in linked)
        {
            any |= location >= 0 ? (bt.Registers[frame] & (1u << location)) != 0 : bt.IsSlotSet(frame, -1 - location);
        }
        if (!any)
        {
            return;
        }
        foreach (var (frame, location) in linked)
        {
            if (location >= 0)
            {
                bt.Registers[frame] |= 1u << location;
            }
            else
            {
                bt.SetSlot(frame, -1 - location);
            }
        }
    }

    /// <summary>backtrack_insn: which values before instruction <paramref name="idx"/> the tracked ones came from. False: give up.</summary>
    private bool BacktrackInstruction(int idx, int subsequent, HistoryEntry? entry, Backtrack bt)
    {
        SyncLinkedBacktrack(bt, entry);
        var insn = _code[idx];
        int dreg = insn.Dst;
        int sreg = insn.Src;
        switch (insn.Shape)
        {
            case OperationShape.Alu:
            {
                if (!bt.IsSet(dreg))
                {
                    break;
                }
                var op = AluOps.Of(insn.Operation);
                if (op is AluOp.End or AluOp.Neg)
                {
                    break;
                }
                if (op == AluOp.Mov)
                {
                    bt.Clear(dreg);
                    if (insn.Source == OperandSource.Register && sreg != 10)
                    {
                        bt.Set(sreg);
                    }
                }
                else if (insn.Source == OperandSource.Register && sreg != 10)
                {
                    bt.Set(sreg);
                }
                break;
            }
            case OperationShape.Load or OperationShape.AtomicFetch or OperationShape.AtomicCompareExchange:
            {
                int loaded = insn.Shape switch
                {
                    OperationShape.Load => dreg,
                    OperationShape.AtomicFetch => sreg,
                    _ => 0,
                };
                if (!bt.IsSet(loaded))
                {
                    break;
                }
                bt.Clear(loaded);
                if (entry is { StackSlot: >= 0 })
                {
                    bt.SetSlot(entry.StackFrame, entry.StackSlot);
                }
                break;
            }
            case OperationShape.Store or OperationShape.Atomic:
                if (bt.IsSet(dreg))
                {
                    return false;
                }
                if (entry is { StackSlot: >= 0 } && bt.IsSlotSet(entry.StackFrame, entry.StackSlot))
                {
                    bt.ClearSlot(entry.StackFrame, entry.StackSlot);
                    if (insn.Source == OperandSource.Register)
                    {
                        bt.Set(sreg);
                    }
                }
                break;
            case OperationShape.CallLocal:
                // Going back out of the callee: its arguments come from the caller's r1-r5.
                if ((bt.Registers[bt.Frame] & ~0x3eu) != 0 || bt.Slots[bt.Frame] != 0)
                {
                    return false;
                }
                for (int r = 1; r <= 5; r++)
                {
                    if (bt.IsSet(r))
                    {
                        bt.Clear(r);
                        bt.Registers[bt.Frame - 1] |= 1u << r;
                    }
                }
                bt.Frame--;
                break;
            case OperationShape.Exit:
            {
                // Going back into a callee from the instruction after its call: r0 is the callee's.
                if ((bt.Registers[bt.Frame] & 0x3eu) != 0)
                {
                    return false;
                }
                bool r0Precise = subsequent - 1 >= 0 && _code[subsequent - 1].Shape == OperationShape.CallLocal && bt.IsSet(0);
                bt.Clear(0);
                bt.Frame++;
                if (bt.Frame >= MaxFrames)
                {
                    return false;
                }
                if (r0Precise)
                {
                    bt.Set(0);
                }
                break;
            }
            case OperationShape.Call or OperationShape.CallKfunc or OperationShape.CallRegister:
                bt.Clear(0);
                if ((bt.Registers[bt.Frame] & 0x3eu) != 0)
                {
                    return false;
                }
                break;
            case OperationShape.ConditionalJump:
                if (insn.Source == OperandSource.Register)
                {
                    if (!bt.IsSet(dreg) && !bt.IsSet(sreg))
                    {
                        break;
                    }
                    if (entry is null || !entry.SourceIsStackPointer)
                    {
                        bt.Set(sreg);
                    }
                    if (entry is null || !entry.DestinationIsStackPointer)
                    {
                        bt.Set(dreg);
                    }
                }
                break;
            case OperationShape.LoadImm64:
                bt.Clear(dreg);
                break;
            case OperationShape.PacketLoad:
                if (bt.IsSet(0))
                {
                    return false;
                }
                break;
        }
        SyncLinkedBacktrack(bt, entry);
        return true;
    }
}
