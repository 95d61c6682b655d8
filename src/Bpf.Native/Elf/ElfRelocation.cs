namespace Bpf.Native.Elf;

/// <summary>One relocation (Elf64_Rel, or Elf64_Rela with its addend) against a section.</summary>
public readonly record struct ElfRelocation(long Offset, int SymbolIndex, uint Type, long Addend)
{
    /// <summary>R_BPF_64_64: the 64-bit immediate of an ld_imm64 (maps, global data, function pointers).</summary>
    public const uint TypeBpf64_64 = 1;

    /// <summary>R_BPF_64_ABS64: a 64-bit data word (DWARF, .maps initialisers).</summary>
    public const uint TypeBpf64Abs64 = 2;

    /// <summary>R_BPF_64_ABS32: a 32-bit data word (DWARF, BTF.ext).</summary>
    public const uint TypeBpf64Abs32 = 3;

    /// <summary>R_BPF_64_NODYLD32: like ABS32, for .BTF/.BTF.ext, never applied by a loader.</summary>
    public const uint TypeBpf64NoDyld32 = 4;

    /// <summary>R_BPF_64_32: the imm of a call instruction (bpf-to-bpf calls).</summary>
    public const uint TypeBpf64_32 = 10;
}
