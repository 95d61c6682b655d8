namespace Bpf.Native.Isa;

/// <summary>
/// Canonical instructions back to bytecode, driven by the same <see cref="OperationCatalog"/> as the
/// <see cref="Decoder"/>: for every program the decoder accepts, <c>Encode(Decode(bytes))</c> gives back the bytes.
/// </summary>
public static class Encoder
{
    public static byte[] Encode(ReadOnlySpan<Instruction> instructions)
    {
        int slots = 0;
        foreach (var instruction in instructions)
        {
            slots += instruction.Slots;
        }
        var bytes = new byte[slots * RawInstruction.SizeBytes];
        int at = 0;
        foreach (var instruction in instructions)
        {
            foreach (var raw in ToRaw(instruction))
            {
                raw.Write(bytes.AsSpan(at, RawInstruction.SizeBytes));
                at += RawInstruction.SizeBytes;
            }
        }
        return bytes;
    }

    /// <summary>The one or two slots of <paramref name="instruction"/>.</summary>
    public static RawInstruction[] ToRaw(Instruction instruction)
    {
        var info = instruction.Info;
        byte dst = Register(instruction.Dst, nameof(Instruction.Dst));
        byte src = Register(instruction.Src, nameof(Instruction.Src));
        switch (info.Shape)
        {
            case OperationShape.Alu when info.Code == (byte)AluCode.End:
                return One(Opcode.Alu(info.Class, AluCode.End, info.FixedSource!.Value), dst, 0, 0, info.ImmediateTag);

            case OperationShape.Alu when info.Code == (byte)AluCode.Neg:
                return One(Opcode.Alu(info.Class, AluCode.Neg, OperandSource.Immediate), dst, 0, 0, 0);

            case OperationShape.Alu:
            {
                var opcode = Opcode.Alu(info.Class, (AluCode)info.Code, instruction.Source);
                return instruction.Source == OperandSource.Register
                    ? One(opcode, dst, src, info.OffsetTag, 0)
                    : One(opcode, dst, 0, info.OffsetTag, Imm32(instruction.Immediate));
            }

            case OperationShape.ConditionalJump:
            {
                var opcode = Opcode.Jump(info.Class, (JumpCode)info.Code, instruction.Source);
                short offset = Offset16(instruction.Offset);
                return instruction.Source == OperandSource.Register
                    ? One(opcode, dst, src, offset, 0)
                    : One(opcode, dst, 0, offset, Imm32(instruction.Immediate));
            }

            case OperationShape.Jump:
                return instruction.Operation == Operation.Ja
                    ? One(Opcode.Jump(InstructionClass.Jmp, JumpCode.Ja, OperandSource.Immediate), 0, 0, Offset16(instruction.Offset), 0)
                    : One(Opcode.Jump(InstructionClass.Jmp32, JumpCode.Ja, OperandSource.Immediate), 0, 0, 0, instruction.Offset);

            case OperationShape.Call:
                return One(CallOpcode(OperandSource.Immediate), 0, (byte)CallKind.Helper, 0, Imm32(instruction.Immediate));

            case OperationShape.CallLocal:
                return One(CallOpcode(OperandSource.Immediate), 0, (byte)CallKind.Local, 0, instruction.Offset);

            case OperationShape.CallKfunc:
                return One(CallOpcode(OperandSource.Immediate), 0, (byte)CallKind.Kfunc, Offset16(instruction.Offset), Imm32(instruction.Immediate));

            case OperationShape.CallRegister:
                return One(CallOpcode(OperandSource.Register), dst, 0, 0, 0);

            case OperationShape.Exit:
                return One(Opcode.Jump(InstructionClass.Jmp, JumpCode.Exit, OperandSource.Immediate), 0, 0, 0, 0);

            case OperationShape.LoadImm64:
            {
                ulong value = (ulong)instruction.Immediate;
                var first = new RawInstruction(Opcode.Memory(InstructionClass.Ld, AddressingMode.Imm, AccessSize.DoubleWord).Value,
                    dst, (byte)instruction.ImmediateKind, 0, (int)(uint)value);
                var second = new RawInstruction(0, 0, 0, 0, (int)(uint)(value >> 32));
                return [first, second];
            }

            case OperationShape.Load:
                return One(Opcode.Memory(InstructionClass.Ldx, (AddressingMode)info.Code, info.Size), dst, src, Offset16(instruction.Offset), 0);

            case OperationShape.Store:
                return instruction.Source == OperandSource.Register
                    ? One(Opcode.Memory(InstructionClass.Stx, AddressingMode.Mem, info.Size), dst, src, Offset16(instruction.Offset), 0)
                    : One(Opcode.Memory(InstructionClass.St, AddressingMode.Mem, info.Size), dst, 0, Offset16(instruction.Offset), Imm32(instruction.Immediate));

            case OperationShape.Atomic or OperationShape.AtomicFetch or OperationShape.AtomicCompareExchange:
                return One(Opcode.Memory(InstructionClass.Stx, AddressingMode.Atomic, info.Size), dst, src, Offset16(instruction.Offset), info.ImmediateTag);

            case OperationShape.PacketLoad:
                return instruction.Source == OperandSource.Register
                    ? One(Opcode.Memory(InstructionClass.Ld, AddressingMode.Ind, info.Size), 0, src, 0, Imm32(instruction.Immediate))
                    : One(Opcode.Memory(InstructionClass.Ld, AddressingMode.Abs, info.Size), 0, 0, 0, Imm32(instruction.Immediate));

            default:
                throw new ArgumentException($"Operation {instruction.Operation} has no encoding.", nameof(instruction));
        }
    }

    private static Opcode CallOpcode(OperandSource source) => Opcode.Jump(InstructionClass.Jmp, JumpCode.Call, source);

    private static RawInstruction[] One(Opcode opcode, byte dst, byte src, short offset, int immediate) =>
        [new RawInstruction(opcode.Value, dst, src, offset, immediate)];

    private static byte Register(byte register, string field) => register <= 10
        ? register
        : throw new ArgumentException($"{field} register r{register} does not exist (r0-r10).");

    private static short Offset16(int offset) => offset is >= short.MinValue and <= short.MaxValue
        ? (short)offset
        : throw new ArgumentException($"Offset {offset} does not fit the 16-bit offset field.");

    private static int Imm32(long immediate) => immediate is >= int.MinValue and <= int.MaxValue
        ? (int)immediate
        : throw new ArgumentException($"Immediate {immediate} does not fit the 32-bit imm field (it is sign-extended).");
}
