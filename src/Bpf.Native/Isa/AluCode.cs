namespace Bpf.Native.Isa;

/// <summary>The operation bits (high nibble) of an ALU or ALU64 opcode (RFC 9669 section 4.1).</summary>
public enum AluCode : byte
{
    Add = 0x00,
    Sub = 0x10,
    Mul = 0x20,
    /// <summary>Unsigned division; signed when the offset field is 1 (cpu v4).</summary>
    Div = 0x30,
    Or = 0x40,
    And = 0x50,
    Lsh = 0x60,
    Rsh = 0x70,
    Neg = 0x80,
    /// <summary>Unsigned modulo; signed when the offset field is 1 (cpu v4).</summary>
    Mod = 0x90,
    Xor = 0xa0,
    /// <summary>Move; sign-extending move when the offset field is 8, 16 or 32 (cpu v4).</summary>
    Mov = 0xb0,
    Arsh = 0xc0,
    /// <summary>Byte swap; the source bit selects to-little or to-big endian, imm selects the width.</summary>
    End = 0xd0,
}
