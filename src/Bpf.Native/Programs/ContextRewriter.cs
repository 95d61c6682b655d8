using Bpf.Native.Isa;
using Bpf.Native.Verifier;

namespace Bpf.Native.Programs;

/// <summary>
/// The load-time rewrite of context accesses (kernel/bpf/verifier.c convert_ctx_accesses() with the program type's
/// convert_ctx_access(), net/core/filter.c bpf_convert_ctx_access()): every load or store the verifier found to go
/// through the context pointer becomes accesses of the host's structure described by a <see cref="ContextLayout"/>,
/// with the conversions the field needs. A read narrower than its field is done as a full read, then shifted and
/// masked, exactly as the kernel does it (including its quirk: a narrow read is masked only when it is narrower
/// than what the converted read yields). Jumps are kept pointing where they did (<see cref="InstructionPatcher"/>).
/// </summary>
public static class ContextRewriter
{
    /// <summary>The program with every access in <paramref name="accesses"/> rewritten for <paramref name="layout"/>.</summary>
    /// <exception cref="VerifierException">An access does not fit the layout ("bpf verifier is misconfigured").</exception>
    public static Instruction[] Rewrite(IReadOnlyList<Instruction> program, IEnumerable<ContextAccess> accesses, ContextLayout layout)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(accesses);
        ArgumentNullException.ThrowIfNull(layout);
        var patches = new Dictionary<int, Instruction[]>();
        foreach (ContextAccess access in accesses)
        {
            if ((uint)access.InstructionIndex >= (uint)program.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(accesses), $"no instruction {access.InstructionIndex}");
            }
            patches[access.InstructionIndex] = Convert(program[access.InstructionIndex], access, layout);
        }
        return InstructionPatcher.Apply(program, patches);
    }

    /// <summary>The instructions that replace one context access.</summary>
    public static Instruction[] Convert(Instruction instruction, ContextAccess access, ContextLayout layout)
    {
        int index = access.InstructionIndex;
        bool isLoad = instruction.Shape == OperationShape.Load;
        bool isStore = instruction.Shape == OperationShape.Store && instruction.Source == OperandSource.Register;
        if (!isLoad && !isStore)
        {
            // The kernel's verifier refuses BPF_ST and atomics on the context before we get here.
            throw Misconfigured(index, $"{Disassembler.Format(instruction)} cannot access the context");
        }
        int size = instruction.Info.AccessBytes;
        int offset = instruction.Offset;
        if (offset != access.Offset || size != access.Size || isStore != access.IsWrite
            || instruction.Operation is Operation.LoadS8 or Operation.LoadS16 or Operation.LoadS32)
        {
            throw Misconfigured(index, $"{Disassembler.Format(instruction)} is not the context access the verifier reported");
        }
        ContextField field = layout.FindField(offset)
            ?? throw Misconfigured(index, $"{layout.Name} offset {offset} has no field");
        if (offset + size > field.End)
        {
            throw Misconfigured(index, $"{size}-byte access at {layout.Name} offset {offset} crosses field {field.Name}");
        }

        byte dst = instruction.Dst;
        byte src = instruction.Src;
        if (field.Storage == ContextFieldStorage.Bytes)
        {
            int host = field.HostOffset + (offset - field.Offset);
            return [instruction with { Offset = host }];
        }

        if (isStore)
        {
            if (!field.Writable || field.Storage != ContextFieldStorage.Direct || size != field.Size)
            {
                throw Misconfigured(index, $"{layout.Name}.{field.Name} cannot be written with {size} bytes");
            }
            Instruction store = Instruction.Store(StoreOf(field.HostBytes), dst, (short)field.HostOffset, src);
            return field.StoreBelow == 0
                ? [store]
                : [Instruction.JumpIf(Operation.Jge64, src, field.StoreBelow, 1), store];
        }

        bool narrow = field.NarrowReads && size < field.Size;
        if (!narrow && offset != field.Offset)
        {
            throw Misconfigured(index, $"{layout.Name}.{field.Name} cannot be read at offset {offset}");
        }
        if (!narrow && size != field.Size && !(field.Storage == ContextFieldStorage.Pointer && size == 4))
        {
            throw Misconfigured(index, $"{layout.Name}.{field.Name} cannot be read with {size} bytes");
        }
        var result = new List<Instruction>(4);
        switch (field.Storage)
        {
            case ContextFieldStorage.Direct:
                result.Add(Instruction.Load(LoadOf(field.HostBytes), dst, src, (short)field.HostOffset));
                break;
            case ContextFieldStorage.BigEndian16:
                result.Add(Instruction.Load(Operation.LoadU16, dst, src, (short)field.HostOffset));
                result.Add(new Instruction(Operation.ToBe16, dst));
                break;
            case ContextFieldStorage.Pointer:
                result.Add(Instruction.Load(Operation.LoadU64, dst, src, (short)field.HostOffset));
                break;
            case ContextFieldStorage.Constant:
                result.Add(Instruction.Alu(Operation.Mov64, dst, field.ConstantValue));
                break;
            default:
                throw Misconfigured(index, $"{layout.Name}.{field.Name} has no storage");
        }
        if (narrow && size < field.TargetBytes)
        {
            // bpf_ctx_narrow_access_offset() on a little-endian host: the byte offset inside the field.
            int shift = (offset - field.Offset) * 8;
            if (shift != 0)
            {
                result.Add(Instruction.Alu(field.Size <= 4 ? Operation.Rsh32 : Operation.Rsh64, dst, shift));
            }
            result.Add(Instruction.Alu(Operation.And32, dst, (long)((1UL << (size * 8)) - 1)));
        }
        return [.. result];
    }

    private static Operation LoadOf(int bytes) => bytes switch
    {
        1 => Operation.LoadU8,
        2 => Operation.LoadU16,
        4 => Operation.LoadU32,
        _ => Operation.LoadU64,
    };

    private static Operation StoreOf(int bytes) => bytes switch
    {
        1 => Operation.Store8,
        2 => Operation.Store16,
        4 => Operation.Store32,
        _ => Operation.Store64,
    };

    private static VerifierException Misconfigured(int index, string detail) =>
        new(index, $"bpf verifier is misconfigured: {detail}");
}
