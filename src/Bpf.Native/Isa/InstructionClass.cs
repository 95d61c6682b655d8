namespace Bpf.Native.Isa;

/// <summary>The three low bits of an opcode (RFC 9669 section 3.1, "instruction classes").</summary>
public enum InstructionClass : byte
{
    Ld = 0x00,
    Ldx = 0x01,
    St = 0x02,
    Stx = 0x03,
    Alu = 0x04,
    Jmp = 0x05,
    Jmp32 = 0x06,
    Alu64 = 0x07,
}
