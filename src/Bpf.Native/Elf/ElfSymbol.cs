namespace Bpf.Native.Elf;

/// <summary>One symbol table entry (Elf64_Sym).</summary>
public sealed record ElfSymbol(int Index, string Name, byte Info, byte Other, ushort SectionIndex, ulong Value, ulong Size)
{
    public const byte TypeNone = 0;
    public const byte TypeObject = 1;
    public const byte TypeFunction = 2;
    public const byte TypeSection = 3;
    public const byte TypeFile = 4;

    public const byte BindLocal = 0;
    public const byte BindGlobal = 1;
    public const byte BindWeak = 2;

    /// <summary>SHN_UNDEF: an extern the object expects the loader to provide.</summary>
    public const ushort SectionUndefined = 0;

    /// <summary>First reserved section index (SHN_LORESERVE): SHN_ABS, SHN_COMMON, SHN_XINDEX...</summary>
    public const ushort SectionReservedStart = 0xff00;

    public byte Type => (byte)(Info & 0xf);

    public byte Bind => (byte)(Info >> 4);

    public bool IsGlobal => Bind is BindGlobal or BindWeak;
}
