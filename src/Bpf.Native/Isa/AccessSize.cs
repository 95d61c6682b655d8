namespace Bpf.Native.Isa;

/// <summary>The size bits of a load or store opcode (RFC 9669 section 5.1).</summary>
public enum AccessSize : byte
{
    Word = 0x00,
    Half = 0x08,
    Byte = 0x10,
    DoubleWord = 0x18,
}
