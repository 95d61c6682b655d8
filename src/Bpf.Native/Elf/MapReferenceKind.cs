namespace Bpf.Native.Elf;

/// <summary>What an ld_imm64 that refers to a map loads.</summary>
public enum MapReferenceKind
{
    /// <summary>The map itself (BPF_PSEUDO_MAP_FD): the first argument of the map helpers.</summary>
    Map,

    /// <summary>An address inside the map's value (BPF_PSEUDO_MAP_VALUE): global data in .data/.rodata/.bss.</summary>
    Value,
}
