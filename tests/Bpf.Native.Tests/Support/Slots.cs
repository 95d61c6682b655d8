using Bpf.Native.Isa;

namespace Bpf.Native.Tests.Support;

/// <summary>Builds bytecode from raw slot fields, for tests about encodings.</summary>
internal static class Slots
{
    public static byte[] Of(params RawInstruction[] slots)
    {
        var bytes = new byte[slots.Length * RawInstruction.SizeBytes];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i].Write(bytes.AsSpan(i * RawInstruction.SizeBytes));
        }
        return bytes;
    }

    public static RawInstruction Raw(byte opcode, byte dst = 0, byte src = 0, short offset = 0, int imm = 0) =>
        new(opcode, dst, src, offset, imm);

    public static RawInstruction Exit => Raw(0x95);
}
