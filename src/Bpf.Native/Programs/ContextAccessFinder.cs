using Bpf.Native.Isa;
using Bpf.Native.Verifier;

namespace Bpf.Native.Programs;

/// <summary>
/// Finds the loads and stores that go through the context pointer by following it from r1 at entry through
/// register moves, 8-byte spills to the stack at fixed offsets from r10, and the arguments of local calls (a
/// forward dataflow to a fixpoint). This is the part of the kernel verifier's pointer tracking the context rewrite
/// needs; the full verifier tracks every pointer kind and also proves the accesses valid, which this does not.
/// An access through a register that holds the context on some paths and not on others is refused, as the
/// kernel's verifier would refuse it.
/// </summary>
public static class ContextAccessFinder
{
    private const byte NotContext = 1;
    private const byte Context = 2;
    private const int Registers = 11;
    private const int StackSlots = Semantics.CallConvention.MaxStackBytes / 8;
    private const int StateBytes = Registers + StackSlots;

    /// <summary>The context accesses of <paramref name="program"/>, in instruction order.</summary>
    /// <exception cref="VerifierException">An access may or may not go through the context.</exception>
    public static IReadOnlyList<ContextAccess> Find(IReadOnlyList<Instruction> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        int count = program.Count;
        if (count == 0)
        {
            return [];
        }
        var slotOf = new int[count + 1];
        for (int i = 0; i < count; i++)
        {
            slotOf[i + 1] = slotOf[i] + program[i].Slots;
        }
        var indexOfSlot = new Dictionary<int, int>(count);
        for (int i = 0; i < count; i++)
        {
            indexOfSlot[slotOf[i]] = i;
        }
        int Target(int i)
        {
            int slot = slotOf[i] + program[i].Slots + program[i].Offset;
            return indexOfSlot.TryGetValue(slot, out int target)
                ? target
                : throw new VerifierException(i, $"jump out of range to insn {slot}");
        }

        // In-state of every instruction (null: not reached yet).
        var states = new byte[]?[count];
        var work = new Stack<int>();
        var entry = new byte[StateBytes];
        Array.Fill(entry, NotContext);
        entry[1] = Context;
        Merge(states, 0, entry, work);

        while (work.Count > 0)
        {
            int i = work.Pop();
            byte[] state = (byte[])states[i]!.Clone();
            Instruction insn = program[i];
            switch (insn.Shape)
            {
                case OperationShape.Exit:
                    continue;
                case OperationShape.Jump:
                    Merge(states, Target(i), state, work);
                    continue;
                case OperationShape.ConditionalJump:
                    Merge(states, Target(i), state, work);
                    break;
                case OperationShape.CallLocal:
                {
                    var callee = new byte[StateBytes];
                    Array.Fill(callee, NotContext);
                    for (int r = 1; r <= 5; r++)
                    {
                        callee[r] = state[r];
                    }
                    Merge(states, Target(i), callee, work);
                    Clobber(state);
                    break;
                }
                case OperationShape.Call or OperationShape.CallRegister or OperationShape.CallKfunc or OperationShape.PacketLoad:
                    Clobber(state);
                    break;
                case OperationShape.Alu:
                    state[insn.Dst] = insn.Operation == Operation.Mov64 && insn.Source == OperandSource.Register
                        ? state[insn.Src]
                        : NotContext;
                    break;
                case OperationShape.LoadImm64:
                    state[insn.Dst] = NotContext;
                    break;
                case OperationShape.Load:
                    state[insn.Dst] = insn.Src == 10 && insn.Operation == Operation.LoadU64 && StackSlot(insn.Offset) is int fill
                        ? state[Registers + fill]
                        : NotContext;
                    break;
                case OperationShape.Store:
                    if (insn.Dst == 10)
                    {
                        SpillOrClear(state, insn);
                    }
                    break;
                case OperationShape.AtomicFetch:
                    state[insn.Src] = NotContext;
                    break;
                case OperationShape.AtomicCompareExchange:
                    state[0] = NotContext;
                    break;
            }
            if (i + 1 < count)
            {
                Merge(states, i + 1, state, work);
            }
        }

        var accesses = new List<ContextAccess>();
        for (int i = 0; i < count; i++)
        {
            if (states[i] is not { } state)
            {
                continue;
            }
            Instruction insn = program[i];
            int baseRegister = insn.Shape switch
            {
                OperationShape.Load => insn.Src,
                OperationShape.Store or OperationShape.Atomic or OperationShape.AtomicFetch
                    or OperationShape.AtomicCompareExchange => insn.Dst,
                _ => -1,
            };
            if (baseRegister < 0 || (state[baseRegister] & Context) == 0)
            {
                continue;
            }
            if (state[baseRegister] != Context)
            {
                throw new VerifierException(i, $"R{baseRegister} holds the context on some paths only");
            }
            if (insn.Shape is OperationShape.Atomic or OperationShape.AtomicFetch or OperationShape.AtomicCompareExchange)
            {
                throw new VerifierException(i, $"BPF_ATOMIC stores into R{baseRegister} ctx is not allowed");
            }
            if (insn.Shape == OperationShape.Store && insn.Source == OperandSource.Immediate)
            {
                throw new VerifierException(i, $"BPF_ST stores into R{baseRegister} ctx is not allowed");
            }
            accesses.Add(new ContextAccess(i, insn.Offset, insn.Info.AccessBytes, insn.Shape == OperationShape.Store));
        }
        return accesses;
    }

    /// <summary>r0-r5 hold nothing known after a call (the kernel marks them clobbered).</summary>
    private static void Clobber(byte[] state)
    {
        for (int r = 0; r <= 5; r++)
        {
            state[r] = NotContext;
        }
    }

    private static void SpillOrClear(byte[] state, Instruction insn)
    {
        int size = insn.Info.AccessBytes;
        for (int at = insn.Offset; at < insn.Offset + size; at++)
        {
            if (at is >= -Semantics.CallConvention.MaxStackBytes and < 0)
            {
                state[Registers + (-at - 1) / 8] = NotContext;
            }
        }
        if (insn.Operation == Operation.Store64 && insn.Source == OperandSource.Register && StackSlot(insn.Offset) is int spill)
        {
            state[Registers + spill] = state[insn.Src];
        }
    }

    /// <summary>The 8-byte stack slot at r10 + offset, when aligned and inside the stack.</summary>
    private static int? StackSlot(int offset) =>
        offset is < 0 and >= -Semantics.CallConvention.MaxStackBytes && offset % 8 == 0 ? (-offset / 8) - 1 : null;

    private static void Merge(byte[]?[] states, int at, byte[] incoming, Stack<int> work)
    {
        if (states[at] is not { } current)
        {
            states[at] = (byte[])incoming.Clone();
            work.Push(at);
            return;
        }
        bool changed = false;
        for (int k = 0; k < StateBytes; k++)
        {
            byte merged = (byte)(current[k] | incoming[k]);
            if (merged != current[k])
            {
                current[k] = merged;
                changed = true;
            }
        }
        if (changed)
        {
            work.Push(at);
        }
    }
}
