namespace Bpf.Native.Elf;

/// <summary>Where a map definition came from in the object.</summary>
public enum MapSource
{
    /// <summary>tc's legacy <c>maps</c> section (struct bpf_elf_map).</summary>
    LegacyMapsSection,

    /// <summary>libbpf's BTF-defined <c>.maps</c> section.</summary>
    BtfMapsSection,

    /// <summary>A global data section (.data, .rodata, .bss and their .NAME variants) as a one-element array.</summary>
    DataSection,
}
