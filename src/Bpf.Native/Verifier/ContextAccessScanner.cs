using Bpf.Native.Isa;
using Bpf.Native.Programs;
using Bpf.Native.Semantics;

namespace Bpf.Native.Verifier;

/// <summary>
/// The first, conservative producer of <see cref="InstructionAux"/>: a whole-program forward dataflow that tracks
/// which registers and 8-byte stack slots hold the context pointer, a stack pointer, a packet pointer or something
/// else, and checks every context access against the program type (is_valid_access). It has no value ranges, so it
/// proves nothing about packet or map bounds; the kernel-style verifier replaces it.
/// </summary>
internal static class ContextAccessScanner
{
    private const int SlotCount = CallConvention.MaxStackBytes / 8;

    private enum Kind : byte
    {
        NotInit,
        Scalar,
        Context,
        Stack,
        Packet,
        PacketMeta,
        PacketEnd,
        Other,
        Mixed,
    }

    private readonly record struct Value(Kind Kind, long Offset)
    {
        public static Value Scalar => new(Kind.Scalar, 0);

        public static Value Join(Value a, Value b)
        {
            if (a == b || b.Kind == Kind.NotInit)
            {
                return a;
            }
            if (a.Kind == Kind.NotInit)
            {
                return b;
            }
            if (a.Kind == b.Kind)
            {
                // Same kind, different offsets: for the context that is still the context (the offset check
                // below only needs to know it is not zero), otherwise the offset is unknown.
                return new Value(a.Kind, long.MinValue);
            }
            return new Value(Kind.Mixed, 0);
        }
    }

    public static InstructionAux[] Scan(VerifiedProgram structure, ProgramType programType)
    {
        var code = structure.InstructionSpan;
        int registerCount = 11;
        int width = registerCount + SlotCount;
        var states = new Value[code.Length][];
        var aux = new InstructionAux[code.Length];
        var work = new Stack<int>();

        void Flow(int to, Value[] state)
        {
            ref var existing = ref states[to];
            if (existing is null)
            {
                existing = (Value[])state.Clone();
                work.Push(to);
                return;
            }
            bool changed = false;
            for (int i = 0; i < width; i++)
            {
                var joined = Value.Join(existing[i], state[i]);
                if (joined != existing[i])
                {
                    existing[i] = joined;
                    changed = true;
                }
            }
            if (changed)
            {
                work.Push(to);
            }
        }

        var entry = new Value[width];
        entry[1] = new Value(Kind.Context, 0);
        entry[CallConvention.FramePointerRegister] = new Value(Kind.Stack, 0);
        Flow(0, entry);
        var s = new Value[width];
        while (work.Count > 0)
        {
            int index = work.Pop();
            states[index].CopyTo(s, 0);
            var instruction = code[index];
            aux[index] = aux[index] with { Reached = true };
            switch (instruction.Shape)
            {
                case OperationShape.Alu:
                    s[instruction.Dst] = Alu(instruction, s);
                    break;
                case OperationShape.LoadImm64:
                    s[instruction.Dst] = instruction.ImmediateKind == LoadImmediateKind.Value ? Value.Scalar : new Value(Kind.Other, 0);
                    break;
                case OperationShape.Load:
                {
                    var loaded = Access(index, instruction.Src, instruction.Offset, instruction.Info.AccessBytes, ContextAccessKind.Read, s, aux, programType);
                    s[instruction.Dst] = loaded;
                    break;
                }
                case OperationShape.Store:
                    Access(index, instruction.Dst, instruction.Offset, instruction.Info.AccessBytes, ContextAccessKind.Write, s, aux, programType);
                    if (instruction.Source == OperandSource.Register)
                    {
                        StoreSlot(s, s[instruction.Dst], instruction.Offset, instruction.Info.AccessBytes, s[instruction.Src]);
                    }
                    else
                    {
                        StoreSlot(s, s[instruction.Dst], instruction.Offset, instruction.Info.AccessBytes, Value.Scalar);
                    }
                    break;
                case OperationShape.Atomic or OperationShape.AtomicFetch or OperationShape.AtomicCompareExchange:
                    Access(index, instruction.Dst, instruction.Offset, instruction.Info.AccessBytes, ContextAccessKind.Write, s, aux, programType);
                    StoreSlot(s, s[instruction.Dst], instruction.Offset, instruction.Info.AccessBytes, Value.Scalar);
                    if (instruction.Shape == OperationShape.AtomicFetch)
                    {
                        s[instruction.Src] = Value.Scalar;
                    }
                    else if (instruction.Shape == OperationShape.AtomicCompareExchange)
                    {
                        s[0] = Value.Scalar;
                    }
                    break;
                case OperationShape.Call or OperationShape.CallRegister or OperationShape.CallKfunc or OperationShape.PacketLoad:
                    s[0] = instruction.Shape == OperationShape.Call ? new Value(Kind.Other, 0) : Value.Scalar;
                    for (int r = 1; r <= CallConvention.ArgumentRegisterCount; r++)
                    {
                        s[r] = default;
                    }
                    break;
                case OperationShape.CallLocal:
                {
                    var callee = new Value[width];
                    for (int r = 1; r <= CallConvention.ArgumentRegisterCount; r++)
                    {
                        callee[r] = s[r].Kind == Kind.Stack ? new Value(Kind.Other, 0) : s[r];
                    }
                    callee[CallConvention.FramePointerRegister] = new Value(Kind.Stack, 0);
                    Flow(structure.TargetOf(index), callee);
                    s[0] = new Value(Kind.Other, 0);
                    for (int r = 1; r <= CallConvention.ArgumentRegisterCount; r++)
                    {
                        s[r] = default;
                    }
                    break;
                }
            }

            switch (instruction.Shape)
            {
                case OperationShape.Exit:
                    break;
                case OperationShape.Jump:
                    Flow(structure.TargetOf(index), s);
                    break;
                case OperationShape.ConditionalJump:
                    Flow(structure.TargetOf(index), s);
                    Flow(index + 1, s);
                    break;
                default:
                    Flow(index + 1, s);
                    break;
            }
        }
        return aux;
    }

    private static Value Access(int index, int baseRegister, int offset, int size, ContextAccessKind kind, Value[] s,
        InstructionAux[] aux, ProgramType programType)
    {
        var pointer = s[baseRegister];
        var pointerKind = pointer.Kind switch
        {
            Kind.Context => RegisterKind.Context,
            Kind.Stack => RegisterKind.Stack,
            Kind.Packet => RegisterKind.Packet,
            Kind.PacketMeta => RegisterKind.PacketMeta,
            Kind.Other => RegisterKind.MapValue,
            Kind.Mixed => RegisterKind.NotInit,
            _ => RegisterKind.Scalar,
        };
        if (pointer.Kind == Kind.Mixed)
        {
            throw new VerifierException(index, "same insn cannot be used with different pointers");
        }
        var previous = aux[index].PointerKind;
        if (previous != RegisterKind.NotInit && previous != pointerKind
            && (previous == RegisterKind.Context || pointerKind == RegisterKind.Context))
        {
            throw new VerifierException(index, "same insn cannot be used with different pointers");
        }
        var item = aux[index] with { AccessKind = kind, AccessSizeBytes = size };
        if (previous == RegisterKind.NotInit)
        {
            item = item with { PointerKind = pointerKind };
        }
        var loaded = Value.Scalar;
        if (pointer.Kind == Kind.Context)
        {
            if (pointer.Offset != 0)
            {
                string shown = pointer.Offset == long.MinValue ? "?" : pointer.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new VerifierException(index, $"dereference of modified ctx ptr R{baseRegister} off={shown} disallowed");
            }
            if (!programType.IsValidContextAccess(offset, size, kind, out var result))
            {
                throw new VerifierException(index, $"invalid bpf_context access off={offset} size={size}");
            }
            item = item with { ContextOffsetBytes = offset, ContextFieldSizeBytes = result.FieldSizeBytes };
            loaded = result.Kind switch
            {
                RegisterKind.Packet => new Value(Kind.Packet, 0),
                RegisterKind.PacketMeta => new Value(Kind.PacketMeta, 0),
                RegisterKind.PacketEnd => new Value(Kind.PacketEnd, 0),
                RegisterKind.Scalar => Value.Scalar,
                _ => new Value(Kind.Other, 0),
            };
        }
        else if (pointer.Kind == Kind.Stack && size == 8 && pointer.Offset != long.MinValue)
        {
            long at = pointer.Offset + offset;
            if (at < 0 && at >= -CallConvention.MaxStackBytes && at % 8 == 0)
            {
                loaded = s[11 + (int)(-at / 8) - 1];
                if (loaded.Kind == Kind.NotInit)
                {
                    loaded = Value.Scalar;
                }
            }
        }
        aux[index] = item;
        return loaded;
    }

    private static void StoreSlot(Value[] s, Value pointer, int offset, int size, Value value)
    {
        if (pointer.Kind != Kind.Stack)
        {
            return;
        }
        if (pointer.Offset == long.MinValue)
        {
            for (int i = 11; i < s.Length; i++)
            {
                s[i] = s[i].Kind == Kind.NotInit ? s[i] : Value.Scalar;
            }
            return;
        }
        long at = pointer.Offset + offset;
        if (at >= 0 || at < -CallConvention.MaxStackBytes)
        {
            return;
        }
        int first = (int)((-at - 1) / 8);
        int last = (int)((-(at + size - 1) - 1) / 8);
        for (int slot = Math.Min(first, last); slot <= Math.Max(first, last); slot++)
        {
            s[11 + slot] = size == 8 && at % 8 == 0 ? value : Value.Scalar;
        }
    }

    private static Value Alu(Instruction instruction, Value[] s)
    {
        var dst = s[instruction.Dst];
        bool register = instruction.Source == OperandSource.Register;
        var src = register ? s[instruction.Src] : Value.Scalar;
        bool pointer = dst.Kind is Kind.Context or Kind.Stack or Kind.Packet or Kind.PacketMeta;
        switch (instruction.Operation)
        {
            case Operation.Mov64 when register:
                return src;
            case Operation.Mov64 or Operation.Mov32:
                return Value.Scalar;
            case Operation.Add64 or Operation.Sub64 when pointer && !register:
            {
                long delta = instruction.Operation == Operation.Add64 ? instruction.Immediate : -instruction.Immediate;
                return dst.Offset == long.MinValue ? dst : new Value(dst.Kind, dst.Offset + delta);
            }
            case Operation.Add64 or Operation.Sub64 when pointer && src.Kind == Kind.Scalar:
                return new Value(dst.Kind, long.MinValue);
            case Operation.Add64 when dst.Kind == Kind.Scalar && src.Kind is Kind.Context or Kind.Stack or Kind.Packet or Kind.PacketMeta:
                return new Value(src.Kind, long.MinValue);
            case Operation.Sub64 when pointer && src.Kind == dst.Kind:
                return Value.Scalar;
            default:
                return pointer || dst.Kind is Kind.Mixed or Kind.Other ? new Value(Kind.Other, 0) : Value.Scalar;
        }
    }
}
