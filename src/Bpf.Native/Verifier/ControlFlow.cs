using Bpf.Native.Helpers;
using Bpf.Native.Isa;

namespace Bpf.Native.Verifier;

/// <summary>
/// The program's shape, checked before any state is explored (kernel/bpf/verifier.c: check_subprogs, check_cfg,
/// compute_live_registers): functions found from local calls, jumps inside their function, every function ending
/// in exit or goto, every instruction reachable ("unreachable insn"), no jump into the second half of an lddw.
/// Back-edges are allowed (a privileged loader may have bounded loops; do_check proves they end). Also marks the
/// prune points (where states are compared) and computes which registers are live before each instruction.
/// Messages use the kernel's instruction numbers (8-byte slots, lddw counting two).
/// </summary>
internal sealed class ControlFlow
{
    private ControlFlow(Instruction[] code)
    {
        Code = code;
        SlotOf = new int[code.Length + 1];
        for (int i = 0; i < code.Length; i++)
        {
            SlotOf[i + 1] = SlotOf[i] + code[i].Slots;
        }
        IndexOfSlot = new int[SlotOf[code.Length]];
        Array.Fill(IndexOfSlot, -1);
        for (int i = 0; i < code.Length; i++)
        {
            IndexOfSlot[SlotOf[i]] = i;
        }
        Targets = new int[code.Length];
        Array.Fill(Targets, -1);
        PrunePoint = new bool[code.Length];
        JumpPoint = new bool[code.Length];
        LiveBefore = new ushort[code.Length];
        FunctionOf = new int[code.Length];
    }

    public Instruction[] Code { get; }

    /// <summary>Kernel instruction number (slot) of each instruction; SlotOf[Length] is the slot count.</summary>
    public int[] SlotOf { get; }

    public int[] IndexOfSlot { get; }

    /// <summary>Target of each jump or local call (instruction index), else -1.</summary>
    public int[] Targets { get; }

    /// <summary>Start instruction of each function; function 0 is the program.</summary>
    public int[] FunctionStarts { get; private set; } = [];

    public int[] FunctionOf { get; }

    public bool[] PrunePoint { get; }

    public bool[] JumpPoint { get; }

    /// <summary>Registers live before each instruction (bit r).</summary>
    public ushort[] LiveBefore { get; }

    public bool UsesPacketLoads { get; private set; }

    public bool[] FunctionHasTailCall { get; private set; } = [];

    public int FunctionEnd(int function) =>
        function + 1 < FunctionStarts.Length ? FunctionStarts[function + 1] : Code.Length;

    public int FunctionStartingAt(int index) => Array.IndexOf(FunctionStarts, index);

    public static ControlFlow Build(Instruction[] code, HelperTable helpers)
    {
        if (code.Length == 0)
        {
            throw new VerifierException(-1, "program is empty");
        }
        var flow = new ControlFlow(code);
        flow.CheckFunctions();
        flow.CheckReachability();
        flow.ComputeLiveness(helpers);
        return flow;
    }

    private int ResolveSlot(int index, long displacement) => (int)Math.Clamp(
        (long)SlotOf[index] + Code[index].Slots + displacement, int.MinValue, int.MaxValue);

    /// <summary>check_subprogs.</summary>
    private void CheckFunctions()
    {
        var starts = new SortedSet<int> { 0 };
        int totalSlots = SlotOf[Code.Length];
        for (int i = 0; i < Code.Length; i++)
        {
            var insn = Code[i];
            if (insn.Shape is OperationShape.CallLocal
                || (insn.Shape == OperationShape.LoadImm64 && insn.ImmediateKind == LoadImmediateKind.Function))
            {
                int slot = ResolveSlot(i, insn.Shape == OperationShape.CallLocal ? insn.Offset : insn.Immediate);
                if (slot < 0 || slot >= totalSlots || IndexOfSlot[slot] < 0)
                {
                    throw new VerifierException(-1, "call to invalid destination");
                }
                starts.Add(IndexOfSlot[slot]);
                if (insn.Shape == OperationShape.CallLocal)
                {
                    Targets[i] = IndexOfSlot[slot];
                }
            }
        }
        FunctionStarts = [.. starts];
        FunctionHasTailCall = new bool[FunctionStarts.Length];
        int function = 0;
        int functionEnd = FunctionEnd(0);
        for (int i = 0; i < Code.Length; i++)
        {
            if (function + 1 < FunctionStarts.Length && i == FunctionStarts[function + 1])
            {
                function++;
                functionEnd = FunctionEnd(function);
            }
            FunctionOf[i] = function;
            var insn = Code[i];
            if (insn.Shape == OperationShape.Call && insn.Immediate == 12)
            {
                FunctionHasTailCall[function] = true;
            }
            if (insn.Shape == OperationShape.PacketLoad)
            {
                UsesPacketLoads = true;
            }
            if (insn.IsJump)
            {
                int slot = ResolveSlot(i, insn.Offset);
                int start = SlotOf[FunctionStarts[function]];
                int end = SlotOf[functionEnd];
                if (slot < start || slot >= end)
                {
                    throw new VerifierException(i, $"jump out of range from insn {SlotOf[i]} to {slot}");
                }
                if (IndexOfSlot[slot] < 0)
                {
                    throw new VerifierException(i, $"jump into the middle of ldimm64 insn {slot - 1}");
                }
                Targets[i] = IndexOfSlot[slot];
            }
            if (i == functionEnd - 1 && insn.Shape is not (OperationShape.Exit or OperationShape.Jump))
            {
                throw new VerifierException(i, "last insn is not an exit or jmp");
            }
        }
    }

    /// <summary>check_cfg: a walk from the entry and every function start; marks prune and jump points.</summary>
    private void CheckReachability()
    {
        var seen = new bool[Code.Length];
        var work = new Stack<int>();
        foreach (int start in FunctionStarts)
        {
            if (!seen[start])
            {
                seen[start] = true;
                work.Push(start);
            }
        }
        void Edge(int to, bool branch)
        {
            if (branch)
            {
                PrunePoint[to] = true;
                JumpPoint[to] = true;
            }
            if (!seen[to])
            {
                seen[to] = true;
                work.Push(to);
            }
        }
        while (work.Count > 0)
        {
            int t = work.Pop();
            var insn = Code[t];
            switch (insn.Shape)
            {
                case OperationShape.Exit:
                    break;
                case OperationShape.Jump:
                    Edge(Targets[t], false);
                    PrunePoint[Targets[t]] = true;
                    JumpPoint[Targets[t]] = true;
                    break;
                case OperationShape.ConditionalJump:
                    PrunePoint[t] = true;
                    Edge(t + 1, false);
                    Edge(Targets[t], true);
                    break;
                case OperationShape.Call or OperationShape.CallRegister or OperationShape.CallKfunc:
                    PrunePoint[t + 1] = true;
                    JumpPoint[t + 1] = true;
                    Edge(t + 1, false);
                    break;
                case OperationShape.CallLocal:
                    PrunePoint[t + 1] = true;
                    JumpPoint[t + 1] = true;
                    Edge(t + 1, false);
                    PrunePoint[t] = true;
                    Edge(Targets[t], true);
                    break;
                default:
                    Edge(t + 1, false);
                    break;
            }
        }
        for (int i = 0; i < Code.Length; i++)
        {
            if (!seen[i])
            {
                throw new VerifierException(i, $"unreachable insn {SlotOf[i]}");
            }
        }
    }

    /// <summary>compute_live_registers: a backward analysis over each function's instructions.</summary>
    private void ComputeLiveness(HelperTable helpers)
    {
        var use = new ushort[Code.Length];
        var def = new ushort[Code.Length];
        for (int i = 0; i < Code.Length; i++)
        {
            (use[i], def[i]) = UseDef(Code[i], helpers);
        }
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int i = Code.Length - 1; i >= 0; i--)
            {
                var insn = Code[i];
                ushort after = 0;
                switch (insn.Shape)
                {
                    case OperationShape.Exit:
                        break;
                    case OperationShape.Jump:
                        after = LiveBefore[Targets[i]];
                        break;
                    case OperationShape.ConditionalJump:
                        after = (ushort)(LiveBefore[Targets[i]] | LiveBefore[i + 1]);
                        break;
                    default:
                        after = i + 1 < Code.Length ? LiveBefore[i + 1] : (ushort)0;
                        break;
                }
                ushort before = (ushort)(use[i] | (after & ~def[i]));
                if (before != LiveBefore[i])
                {
                    LiveBefore[i] = before;
                    changed = true;
                }
            }
        }
    }

    private static ushort Bit(int register) => (ushort)(1 << register);

    private static (ushort Use, ushort Def) UseDef(Instruction insn, HelperTable helpers)
    {
        const ushort callerSaved = 0x3f; // r0-r5
        switch (insn.Shape)
        {
            case OperationShape.Alu:
            {
                ushort use = insn.Source == OperandSource.Register ? Bit(insn.Src) : (ushort)0;
                if (AluOps.Of(insn.Operation) != AluOp.Mov)
                {
                    use |= Bit(insn.Dst);
                }
                return (use, Bit(insn.Dst));
            }
            case OperationShape.LoadImm64:
                return (0, Bit(insn.Dst));
            case OperationShape.Load:
                return (Bit(insn.Src), Bit(insn.Dst));
            case OperationShape.Store:
                return ((ushort)(Bit(insn.Dst) | (insn.Source == OperandSource.Register ? Bit(insn.Src) : 0)), 0);
            case OperationShape.Atomic:
                return ((ushort)(Bit(insn.Dst) | Bit(insn.Src)), 0);
            case OperationShape.AtomicFetch:
                return ((ushort)(Bit(insn.Dst) | Bit(insn.Src)), Bit(insn.Src));
            case OperationShape.AtomicCompareExchange:
                return ((ushort)(Bit(insn.Dst) | Bit(insn.Src) | Bit(0)), Bit(0));
            case OperationShape.ConditionalJump:
                return ((ushort)(Bit(insn.Dst) | (insn.Source == OperandSource.Register ? Bit(insn.Src) : 0)), 0);
            case OperationShape.Exit:
                return (Bit(0), 0);
            case OperationShape.Call:
            {
                int arguments = helpers.TryGet((int)insn.Immediate, out var helper) ? helper.Prototype.Arguments.Count : 5;
                ushort use = 0;
                for (int r = 1; r <= arguments; r++)
                {
                    use |= Bit(r);
                }
                return (use, callerSaved);
            }
            case OperationShape.CallLocal or OperationShape.CallKfunc or OperationShape.CallRegister:
                return ((ushort)(0x3e | (insn.Shape == OperationShape.CallRegister ? Bit(insn.Dst) : 0)), callerSaved);
            case OperationShape.PacketLoad:
                return ((ushort)(Bit(6) | (insn.Source == OperandSource.Register ? Bit(insn.Src) : 0)), callerSaved);
            default:
                return (0, 0);
        }
    }
}
