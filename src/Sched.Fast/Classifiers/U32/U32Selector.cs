namespace Sched.Fast.Classifiers.U32;

/// <summary>
/// struct tc_u32_sel: the keys, and how to reach the next header (offset plus/at/mask/shift, eat) and hash into a
/// linked table (hash mask/at). Field values as tc prints them (mask fields in host order).
/// </summary>
public sealed record U32Selector
{
    public const byte Terminal = 1;   // TC_U32_TERMINAL
    public const byte Offset = 2;     // TC_U32_OFFSET
    public const byte VarOffset = 4;  // TC_U32_VAROFFSET
    public const byte Eat = 8;        // TC_U32_EAT

    /// <summary>The most keys tc packs into one selector.</summary>
    public const int MaxKeys = 128;

    public byte Flags { get; init; }
    public byte OffShift { get; init; }

    /// <summary>sel->offmask (host order of the __be16).</summary>
    public ushort OffMask { get; init; }

    /// <summary>sel->off ("offset plus N").</summary>
    public ushort Off { get; init; }

    /// <summary>sel->offoff ("offset at N").</summary>
    public short OffOff { get; init; }

    /// <summary>sel->hoff ("hashkey ... at N").</summary>
    public short HashOffset { get; init; }

    /// <summary>sel->hmask (host order of the __be32).</summary>
    public uint HashMask { get; init; }

    public IReadOnlyList<U32Key> Keys { get; init; } = [];

    public bool Equals(U32Selector? other) =>
        other is not null && Flags == other.Flags && OffShift == other.OffShift && OffMask == other.OffMask &&
        Off == other.Off && OffOff == other.OffOff && HashOffset == other.HashOffset &&
        HashMask == other.HashMask && Keys.SequenceEqual(other.Keys);

    public override int GetHashCode() => HashCode.Combine(Flags, Off, HashMask, Keys.Count);
}
