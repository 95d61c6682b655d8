namespace Bpf.Native.Elf;

/// <summary>One section header (ELF64 Elf64_Shdr), already checked to lie inside the file.</summary>
public sealed record ElfSection(
    int Index,
    string Name,
    uint Type,
    ulong Flags,
    long Offset,
    long Size,
    uint Link,
    uint Info,
    ulong Alignment,
    long EntrySize)
{
    public const uint TypeNull = 0;
    public const uint TypeProgBits = 1;
    public const uint TypeSymbolTable = 2;
    public const uint TypeStringTable = 3;
    public const uint TypeRela = 4;
    public const uint TypeNoBits = 8;
    public const uint TypeRel = 9;

    public const ulong FlagWrite = 0x1;
    public const ulong FlagAlloc = 0x2;
    public const ulong FlagExecute = 0x4;

    public bool IsExecutable => Type == TypeProgBits && (Flags & FlagExecute) != 0;

    /// <summary>True for SHT_NOBITS (.bss): the section has a size but no bytes in the file.</summary>
    public bool HasNoBits => Type == TypeNoBits;
}
