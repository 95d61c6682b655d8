using Bpf.Native.Isa;
using Bpf.Native.Semantics;

namespace Bpf.Native.Verifier;

/// <summary>
/// How many bytes below its r10 a function uses, found by a small forward dataflow over the function that tracks
/// which registers hold r10 plus a known constant (the kernel verifier tracks this precisely as PTR_TO_STACK with
/// a fixed offset). A stack pointer with a variable offset, or one spilled to memory, makes the depth unknown, and
/// the estimate is then the whole stack (<see cref="CallConvention.MaxStackBytes"/>). Used by the structural gate
/// to lay out the frames of program-local calls; the real verifier will compute exact depths.
/// </summary>
internal static class StackDepthEstimator
{
    private enum Kind : byte
    {
        Scalar,
        Stack,
        StackVariable,
    }

    private readonly record struct Value(Kind Kind, long Offset)
    {
        public static Value Scalar => new(Kind.Scalar, 0);

        public static Value Join(Value a, Value b) =>
            a == b ? a : (a.Kind == Kind.Scalar && b.Kind == Kind.Scalar ? Scalar : new Value(Kind.StackVariable, 0));
    }

    /// <summary>Depth in bytes below r10 used by instructions [start, end), or MaxStackBytes when unknown.</summary>
    public static long Estimate(ReadOnlySpan<Instruction> code, ReadOnlySpan<int> targets, int start, int end)
    {
        int count = end - start;
        var states = new Value[count][];
        var work = new Stack<int>();
        var entry = new Value[11];
        entry[CallConvention.FramePointerRegister] = new Value(Kind.Stack, 0);
        states[0] = entry;
        work.Push(start);
        long depth = 0;
        bool unknown = false;

        void Touch(Value pointer, long offset)
        {
            if (pointer.Kind == Kind.StackVariable)
            {
                unknown = true;
            }
            else if (pointer.Kind == Kind.Stack && pointer.Offset + offset < 0)
            {
                depth = Math.Max(depth, -(pointer.Offset + offset));
            }
        }

        void Flow(int to, Value[] state)
        {
            if (to < start || to >= end)
            {
                return;
            }
            ref var existing = ref states[to - start];
            if (existing is null)
            {
                existing = (Value[])state.Clone();
                work.Push(to);
                return;
            }
            bool changed = false;
            for (int r = 0; r < existing.Length; r++)
            {
                var joined = Value.Join(existing[r], state[r]);
                if (joined != existing[r])
                {
                    existing[r] = joined;
                    changed = true;
                }
            }
            if (changed)
            {
                work.Push(to);
            }
        }

        var state = new Value[11];
        while (work.Count > 0)
        {
            int index = work.Pop();
            states[index - start].CopyTo(state, 0);
            var instruction = code[index];
            var info = instruction.Info;
            switch (info.Shape)
            {
                case OperationShape.Alu:
                    state[instruction.Dst] = AluResult(instruction, state);
                    if (state[instruction.Dst].Kind == Kind.Stack)
                    {
                        Touch(state[instruction.Dst], 0);
                    }
                    break;
                case OperationShape.LoadImm64:
                    state[instruction.Dst] = Value.Scalar;
                    break;
                case OperationShape.Load:
                    Touch(state[instruction.Src], instruction.Offset);
                    state[instruction.Dst] = Value.Scalar;
                    break;
                case OperationShape.Store:
                    Touch(state[instruction.Dst], instruction.Offset);
                    if (instruction.Source == OperandSource.Register && state[instruction.Src].Kind != Kind.Scalar)
                    {
                        unknown = true; // a spilled stack pointer: later loads could hold it
                    }
                    break;
                case OperationShape.Atomic:
                    Touch(state[instruction.Dst], instruction.Offset);
                    break;
                case OperationShape.AtomicFetch:
                    Touch(state[instruction.Dst], instruction.Offset);
                    state[instruction.Src] = Value.Scalar;
                    break;
                case OperationShape.AtomicCompareExchange:
                    Touch(state[instruction.Dst], instruction.Offset);
                    state[0] = Value.Scalar;
                    break;
                case OperationShape.Call or OperationShape.CallLocal or OperationShape.CallRegister or OperationShape.CallKfunc:
                    for (int r = 1; r <= CallConvention.ArgumentRegisterCount; r++)
                    {
                        Touch(state[r], 0);
                    }
                    state[0] = Value.Scalar;
                    break;
                case OperationShape.PacketLoad:
                    state[0] = Value.Scalar;
                    break;
            }

            switch (info.Shape)
            {
                case OperationShape.Exit:
                    break;
                case OperationShape.Jump:
                    Flow(targets[index], state);
                    break;
                case OperationShape.ConditionalJump:
                    Flow(targets[index], state);
                    Flow(index + 1, state);
                    break;
                default:
                    Flow(index + 1, state);
                    break;
            }
        }
        return unknown ? CallConvention.MaxStackBytes : depth;
    }

    private static Value AluResult(Instruction instruction, Value[] state)
    {
        var dst = state[instruction.Dst];
        bool register = instruction.Source == OperandSource.Register;
        var src = register ? state[instruction.Src] : Value.Scalar;
        switch (instruction.Operation)
        {
            case Operation.Mov64 when register:
                return src;
            case Operation.Add64 or Operation.Sub64 when dst.Kind == Kind.Stack && !register:
                long delta = instruction.Operation == Operation.Add64 ? instruction.Immediate : -instruction.Immediate;
                return new Value(Kind.Stack, dst.Offset + delta);
            case Operation.Add64 or Operation.Sub64 when dst.Kind != Kind.Scalar || src.Kind != Kind.Scalar:
                return new Value(Kind.StackVariable, 0);
            default:
                // Anything else turns a pointer into a number (the kernel forbids most of it for pointers).
                return Value.Scalar;
        }
    }
}
