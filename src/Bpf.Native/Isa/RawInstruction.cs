using System.Buffers.Binary;

namespace Bpf.Native.Isa;

/// <summary>
/// One 64-bit instruction slot exactly as encoded (RFC 9669 section 3, little-endian): opcode, dst_reg in the low
/// nibble and src_reg in the high nibble of byte 1, a signed 16-bit offset and a signed 32-bit immediate.
/// Only the decoder and encoder see this; everything downstream works on canonical <see cref="Instruction"/>s.
/// </summary>
public readonly record struct RawInstruction(byte Opcode, byte Dst, byte Src, short Offset, int Immediate)
{
    public const int SizeBytes = 8;

    public Opcode Op => new(Opcode);

    public static RawInstruction Read(ReadOnlySpan<byte> slot) => new(
        slot[0],
        (byte)(slot[1] & 0x0f),
        (byte)(slot[1] >> 4),
        BinaryPrimitives.ReadInt16LittleEndian(slot[2..]),
        BinaryPrimitives.ReadInt32LittleEndian(slot[4..]));

    public void Write(Span<byte> slot)
    {
        slot[0] = Opcode;
        slot[1] = (byte)((Src << 4) | (Dst & 0x0f));
        BinaryPrimitives.WriteInt16LittleEndian(slot[2..], Offset);
        BinaryPrimitives.WriteInt32LittleEndian(slot[4..], Immediate);
    }
}
