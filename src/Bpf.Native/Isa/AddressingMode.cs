namespace Bpf.Native.Isa;

/// <summary>The mode bits of a load or store opcode (RFC 9669 section 5.1).</summary>
public enum AddressingMode : byte
{
    /// <summary>64-bit immediate load (lddw), class LD, size DW.</summary>
    Imm = 0x00,
    /// <summary>Legacy packet load at an absolute offset (LD_ABS).</summary>
    Abs = 0x20,
    /// <summary>Legacy packet load at src_reg + imm (LD_IND).</summary>
    Ind = 0x40,
    Mem = 0x60,
    /// <summary>Sign-extending load (cpu v4).</summary>
    MemSx = 0x80,
    Atomic = 0xc0,
}
