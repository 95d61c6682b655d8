namespace Sched.Fast.Ematches.Cmp;

/// <summary>struct tcf_em_cmp: compare an 8/16/32-bit field at a layer offset, masked, with a value.</summary>
public sealed record CmpEmatch(uint Value, uint Mask, ushort Offset, byte Align, byte Flags, byte Layer, byte Operand) : EmatchData
{
    public const byte AlignU8 = 1;
    public const byte AlignU16 = 2;
    public const byte AlignU32 = 4;

    /// <summary>TCF_EM_CMP_TRANS: read the field in host (little-endian) byte order.</summary>
    public const byte Trans = 1;
}
