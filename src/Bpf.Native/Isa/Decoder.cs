using System.Diagnostics.CodeAnalysis;

namespace Bpf.Native.Isa;

/// <summary>
/// Bytecode to canonical instructions. Every encoding the Linux verifier accepts decodes to exactly one
/// <see cref="Instruction"/>; everything else is an error naming the slot, with the kernel's wording where it has
/// one (kernel/bpf/verifier.c: check_alu_op, do_check, check_ld_imm, check_ld_abs: "uses reserved fields").
/// lddw is fused into one instruction, signed div/mod, movsx, sign-extending loads, byte swaps and ja32 get their
/// own operations, so nothing downstream sees raw encodings. The decoder never throws on bad input from
/// <see cref="TryDecode"/>: for every input there is exactly one of an error or a result.
/// </summary>
public static class Decoder
{
    /// <summary>The largest program the decoder accepts, in slots (the kernel's BPF_COMPLEXITY_LIMIT_INSNS).</summary>
    public const int MaxSlots = 1_000_000;

    private const int MaxRegister = 10;

    private static readonly Dictionary<(InstructionClass, byte, short), Operation> s_aluByCodeAndOffset = new();
    private static readonly Dictionary<(InstructionClass, OperandSource, int), Operation> s_swapBySourceAndWidth = new();
    private static readonly Dictionary<(InstructionClass, byte), Operation> s_conditionalJumpByCode = new();
    private static readonly Dictionary<(AddressingMode, AccessSize), Operation> s_loadByModeAndSize = new();
    private static readonly Dictionary<AccessSize, Operation> s_storeBySize = new();
    private static readonly Dictionary<(AccessSize, int), Operation> s_atomicBySizeAndCode = new();
    private static readonly Dictionary<AccessSize, Operation> s_packetLoadBySize = new();

    static Decoder()
    {
        foreach (var info in OperationCatalog.All)
        {
            switch (info.Shape)
            {
                case OperationShape.Alu when info.Code == (byte)AluCode.End:
                    s_swapBySourceAndWidth.Add((info.Class, info.FixedSource!.Value, info.ImmediateTag), info.Operation);
                    break;
                case OperationShape.Alu:
                    s_aluByCodeAndOffset.Add((info.Class, info.Code, info.OffsetTag), info.Operation);
                    break;
                case OperationShape.ConditionalJump:
                    s_conditionalJumpByCode.Add((info.Class, info.Code), info.Operation);
                    break;
                case OperationShape.Load:
                    s_loadByModeAndSize.Add(((AddressingMode)info.Code, info.Size), info.Operation);
                    break;
                case OperationShape.Store:
                    s_storeBySize.Add(info.Size, info.Operation);
                    break;
                case OperationShape.Atomic or OperationShape.AtomicFetch or OperationShape.AtomicCompareExchange:
                    s_atomicBySizeAndCode.Add((info.Size, info.ImmediateTag), info.Operation);
                    break;
                case OperationShape.PacketLoad:
                    s_packetLoadBySize.Add(info.Size, info.Operation);
                    break;
            }
        }
    }

    /// <summary>Decodes a whole program; throws <see cref="InstructionFormatException"/> on the first bad slot.</summary>
    public static Instruction[] Decode(ReadOnlySpan<byte> bytecode)
    {
        if (!TryDecode(bytecode, out var instructions, out int slot, out string? reason))
        {
            throw new InstructionFormatException(slot, reason);
        }
        return instructions;
    }

    /// <summary>Decodes a whole program, or says which slot is wrong and why.</summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> bytecode,
        [NotNullWhen(true)] out Instruction[]? instructions,
        out int errorSlot,
        [NotNullWhen(false)] out string? error)
    {
        instructions = null;
        errorSlot = -1;
        if (bytecode.Length % RawInstruction.SizeBytes != 0)
        {
            error = $"program length {bytecode.Length} is not a multiple of {RawInstruction.SizeBytes} bytes";
            return false;
        }
        int slots = bytecode.Length / RawInstruction.SizeBytes;
        if (slots == 0)
        {
            error = "program is empty";
            return false;
        }
        if (slots > MaxSlots)
        {
            error = $"program has {slots} instructions, more than {MaxSlots}";
            return false;
        }

        var result = new List<Instruction>(slots);
        for (int slot = 0; slot < slots; slot++)
        {
            var raw = RawInstruction.Read(bytecode.Slice(slot * RawInstruction.SizeBytes, RawInstruction.SizeBytes));
            RawInstruction? next = slot + 1 < slots
                ? RawInstruction.Read(bytecode.Slice((slot + 1) * RawInstruction.SizeBytes, RawInstruction.SizeBytes))
                : null;
            if (!TryDecodeOne(raw, next, out var instruction, out error))
            {
                errorSlot = slot;
                return false;
            }
            result.Add(instruction);
            slot += instruction.Slots - 1;
        }
        instructions = result.ToArray();
        error = null;
        return true;
    }

    /// <summary>
    /// Decodes the instruction starting at <paramref name="raw"/>; <paramref name="next"/> is the following slot
    /// (needed by lddw only), null at the end of the program.
    /// </summary>
    public static bool TryDecodeOne(
        RawInstruction raw,
        RawInstruction? next,
        out Instruction instruction,
        [NotNullWhen(false)] out string? error)
    {
        instruction = default;
        if (raw.Dst > MaxRegister || raw.Src > MaxRegister)
        {
            // A pseudo lddw's src is a kind, not a register, but all kinds are below 11 as well.
            error = $"R{Math.Max(raw.Dst, raw.Src)} is invalid";
            return false;
        }
        var op = raw.Op;
        error = op.Class switch
        {
            InstructionClass.Alu or InstructionClass.Alu64 => DecodeAlu(raw, out instruction),
            InstructionClass.Jmp or InstructionClass.Jmp32 => DecodeJump(raw, out instruction),
            InstructionClass.Ldx => DecodeLoad(raw, out instruction),
            InstructionClass.St or InstructionClass.Stx => DecodeStore(raw, out instruction),
            _ => DecodeLd(raw, next, out instruction),
        };
        return error is null;
    }

    private static string? DecodeAlu(RawInstruction raw, out Instruction instruction)
    {
        instruction = default;
        var op = raw.Op;
        var cls = op.Class;
        var code = op.AluCode;
        var source = op.Source;
        if ((byte)code > (byte)AluCode.End)
        {
            return $"unknown opcode {op}";
        }

        if (code == AluCode.End)
        {
            if (raw.Src != 0 || raw.Offset != 0 || raw.Immediate is not (16 or 32 or 64)
                || (cls == InstructionClass.Alu64 && source != OperandSource.Immediate))
            {
                return "BPF_END uses reserved fields";
            }
            instruction = new Instruction(s_swapBySourceAndWidth[(cls, source, raw.Immediate)], raw.Dst);
            return null;
        }

        if (code == AluCode.Neg)
        {
            if (source != OperandSource.Immediate || raw.Src != 0 || raw.Offset != 0 || raw.Immediate != 0)
            {
                return "BPF_NEG uses reserved fields";
            }
            instruction = new Instruction(s_aluByCodeAndOffset[(cls, (byte)code, 0)], raw.Dst);
            return null;
        }

        // The offset selects the operation (sdiv/smod: 1, movsx: 8/16/32) only in the register-or-immediate forms the
        // kernel allows; everything else in the unused field is reserved.
        bool offsetAllowed = code switch
        {
            AluCode.Div or AluCode.Mod => raw.Offset is 0 or 1,
            AluCode.Mov when source == OperandSource.Register =>
                raw.Offset is 0 or 8 or 16 || (raw.Offset == 32 && cls == InstructionClass.Alu64),
            _ => raw.Offset == 0,
        };
        bool operandFieldsClean = source == OperandSource.Register ? raw.Immediate == 0 : raw.Src == 0;
        if (!offsetAllowed || !operandFieldsClean)
        {
            return code == AluCode.Mov ? "BPF_MOV uses reserved fields" : "BPF_ALU uses reserved fields";
        }

        var operation = s_aluByCodeAndOffset[(cls, (byte)code, raw.Offset)];
        instruction = source == OperandSource.Register
            ? new Instruction(operation, raw.Dst, raw.Src, OperandSource.Register)
            : new Instruction(operation, raw.Dst, 0, OperandSource.Immediate, 0, raw.Immediate);
        return null;
    }

    private static string? DecodeJump(RawInstruction raw, out Instruction instruction)
    {
        instruction = default;
        var op = raw.Op;
        var cls = op.Class;
        var code = op.JumpCode;
        var source = op.Source;
        switch (code)
        {
            case JumpCode.Ja:
                if (source != OperandSource.Immediate || raw.Src != 0 || raw.Dst != 0
                    || (cls == InstructionClass.Jmp ? raw.Immediate != 0 : raw.Offset != 0))
                {
                    return "BPF_JA uses reserved fields";
                }
                instruction = cls == InstructionClass.Jmp
                    ? new Instruction(Operation.Ja, Offset: raw.Offset)
                    : new Instruction(Operation.JaLong, Offset: raw.Immediate);
                return null;

            case JumpCode.Call:
                if (cls == InstructionClass.Jmp32)
                {
                    return "BPF_CALL uses reserved fields";
                }
                if (source == OperandSource.Register)
                {
                    // callx: the register is in dst (Documentation/bpf/linux-notes.rst), the rest is reserved.
                    if (raw.Src != 0 || raw.Offset != 0 || raw.Immediate != 0)
                    {
                        return "BPF_CALL uses reserved fields";
                    }
                    instruction = new Instruction(Operation.CallRegister, raw.Dst);
                    return null;
                }
                if (raw.Dst != 0 || raw.Src > (byte)CallKind.Kfunc || (raw.Src != (byte)CallKind.Kfunc && raw.Offset != 0))
                {
                    return "BPF_CALL uses reserved fields";
                }
                instruction = (CallKind)raw.Src switch
                {
                    CallKind.Helper => new Instruction(Operation.Call, Immediate: raw.Immediate),
                    CallKind.Local => new Instruction(Operation.CallLocal, Offset: raw.Immediate),
                    _ => new Instruction(Operation.CallKfunc, Offset: raw.Offset, Immediate: raw.Immediate),
                };
                return null;

            case JumpCode.Exit:
                if (cls == InstructionClass.Jmp32 || source != OperandSource.Immediate
                    || raw.Src != 0 || raw.Dst != 0 || raw.Offset != 0 || raw.Immediate != 0)
                {
                    return "BPF_EXIT uses reserved fields";
                }
                instruction = new Instruction(Operation.Exit);
                return null;
        }

        if (!s_conditionalJumpByCode.TryGetValue((cls, (byte)code), out var operation))
        {
            return $"unknown opcode {op}";
        }
        if (source == OperandSource.Register ? raw.Immediate != 0 : raw.Src != 0)
        {
            return "BPF_JMP/JMP32 uses reserved fields";
        }
        instruction = source == OperandSource.Register
            ? new Instruction(operation, raw.Dst, raw.Src, OperandSource.Register, raw.Offset)
            : new Instruction(operation, raw.Dst, 0, OperandSource.Immediate, raw.Offset, raw.Immediate);
        return null;
    }

    private static string? DecodeLoad(RawInstruction raw, out Instruction instruction)
    {
        instruction = default;
        var op = raw.Op;
        if (!s_loadByModeAndSize.TryGetValue((op.Mode, op.Size), out var operation))
        {
            return $"unknown opcode {op}";
        }
        if (raw.Immediate != 0)
        {
            return "BPF_LDX uses reserved fields";
        }
        instruction = new Instruction(operation, raw.Dst, raw.Src, OperandSource.Register, raw.Offset);
        return null;
    }

    private static string? DecodeStore(RawInstruction raw, out Instruction instruction)
    {
        instruction = default;
        var op = raw.Op;
        if (op.Class == InstructionClass.St)
        {
            if (op.Mode != AddressingMode.Mem)
            {
                return $"unknown opcode {op}";
            }
            if (raw.Src != 0)
            {
                return "BPF_ST uses reserved fields";
            }
            instruction = new Instruction(s_storeBySize[op.Size], raw.Dst, 0, OperandSource.Immediate, raw.Offset, raw.Immediate);
            return null;
        }

        if (op.Mode == AddressingMode.Mem)
        {
            if (raw.Immediate != 0)
            {
                return "BPF_STX uses reserved fields";
            }
            instruction = new Instruction(s_storeBySize[op.Size], raw.Dst, raw.Src, OperandSource.Register, raw.Offset);
            return null;
        }

        if (op.Mode != AddressingMode.Atomic)
        {
            return $"unknown opcode {op}";
        }
        if (op.Size is not (AccessSize.Word or AccessSize.DoubleWord))
        {
            return "invalid atomic operand size";
        }
        if (!s_atomicBySizeAndCode.TryGetValue((op.Size, raw.Immediate), out var operation))
        {
            return $"BPF_ATOMIC uses invalid atomic opcode {raw.Immediate:x2}";
        }
        instruction = new Instruction(operation, raw.Dst, raw.Src, OperandSource.Register, raw.Offset);
        return null;
    }

    private static string? DecodeLd(RawInstruction raw, RawInstruction? next, out Instruction instruction)
    {
        instruction = default;
        var op = raw.Op;
        if (op.Mode is AddressingMode.Abs or AddressingMode.Ind)
        {
            if (!s_packetLoadBySize.TryGetValue(op.Size, out var load))
            {
                return $"unknown opcode {op}";
            }
            if (raw.Dst != 0 || raw.Offset != 0 || (op.Mode == AddressingMode.Abs && raw.Src != 0))
            {
                return "BPF_LD_[ABS|IND] uses reserved fields";
            }
            instruction = op.Mode == AddressingMode.Abs
                ? Instruction.PacketLoad(load, raw.Immediate)
                : Instruction.PacketLoadIndirect(load, raw.Src, raw.Immediate);
            return null;
        }

        if (op.Mode != AddressingMode.Imm || op.Size != AccessSize.DoubleWord)
        {
            return $"unknown opcode {op}";
        }
        if (next is not { } second)
        {
            return "invalid bpf_ld_imm64 insn";
        }
        if (second.Opcode != 0 || second.Dst != 0 || second.Src != 0 || second.Offset != 0 || raw.Offset != 0)
        {
            return "invalid bpf_ld_imm64 insn";
        }
        if (raw.Src > (byte)LoadImmediateKind.MapIndexValue)
        {
            return "invalid bpf_ld_imm64 insn";
        }
        long value = (long)(((ulong)(uint)second.Immediate << 32) | (uint)raw.Immediate);
        instruction = new Instruction(Operation.LoadImm64, raw.Dst, 0, OperandSource.Immediate, 0, value, (LoadImmediateKind)raw.Src);
        return null;
    }
}
