namespace Bpf.Native.Isa;

/// <summary>
/// The 8-bit opcode, read through its fields (RFC 9669 section 3): the class in bits 0-2; for arithmetic and jumps
/// the source in bit 3 and the operation in bits 4-7; for loads and stores the size in bits 3-4 and the mode in 5-7.
/// </summary>
public readonly record struct Opcode(byte Value)
{
    public InstructionClass Class => (InstructionClass)(Value & 0x07);

    public OperandSource Source => (OperandSource)(Value & 0x08);

    public AluCode AluCode => (AluCode)(Value & 0xf0);

    public JumpCode JumpCode => (JumpCode)(Value & 0xf0);

    public AccessSize Size => (AccessSize)(Value & 0x18);

    public AddressingMode Mode => (AddressingMode)(Value & 0xe0);

    public bool IsArithmetic => Class is InstructionClass.Alu or InstructionClass.Alu64;

    public bool IsJump => Class is InstructionClass.Jmp or InstructionClass.Jmp32;

    public static Opcode Alu(InstructionClass cls, AluCode code, OperandSource source) =>
        new((byte)((byte)cls | (byte)code | (byte)source));

    public static Opcode Jump(InstructionClass cls, JumpCode code, OperandSource source) =>
        new((byte)((byte)cls | (byte)code | (byte)source));

    public static Opcode Memory(InstructionClass cls, AddressingMode mode, AccessSize size) =>
        new((byte)((byte)cls | (byte)mode | (byte)size));

    public override string ToString() => $"0x{Value:x2}";
}
