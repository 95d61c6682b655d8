using Bpf.Native.Btf;
using Bpf.Native.Maps;

namespace Bpf.Native.Elf;

/// <summary>
/// A map as the object defines it: pure data, compared by value. Turned into a live map by
/// <see cref="Maps.BpfMapFactory"/>. Sizes are bytes; <see cref="Type"/> is the Linux map type number.
/// </summary>
public sealed record MapSpec
{
    public required string Name { get; init; }

    public required BpfMapType Type { get; init; }

    public uint KeySize { get; init; }

    public uint ValueSize { get; init; }

    public uint MaxEntries { get; init; }

    public BpfMapFlags Flags { get; init; }

    public MapPinning Pinning { get; init; }

    /// <summary>The template of the inner maps of an array_of_maps or hash_of_maps.</summary>
    public MapSpec? InnerMap { get; init; }

    public uint NumaNode { get; init; }

    /// <summary>map_extra (bloom filter hashes and the like); carried, not interpreted.</summary>
    public ulong MapExtra { get; init; }

    public MapSource Source { get; init; }

    /// <summary>Initial contents of a data section map (.data/.rodata; zeros for .bss), the one value of element 0.</summary>
    public EquatableArray<byte> Contents { get; init; } = EquatableArray<byte>.Empty;

    /// <summary>True for .rodata: frozen after load, read-only to programs (BPF_F_RDONLY_PROG), as libbpf does.</summary>
    public bool Freeze { get; init; }

    /// <summary>Slots to fill at load time (map-in-map inner maps, prog_array programs) from BTF initialisers.</summary>
    public EquatableArray<MapInitialValue> InitialValues { get; init; } = EquatableArray<MapInitialValue>.Empty;

    /// <summary>tc legacy: the map's id (struct bpf_elf_map.id), which an outer map's inner id refers to.</summary>
    public uint LegacyId { get; init; }

    /// <summary>tc legacy: for an outer map, the id of its inner map template (bpf_elf_map.inner_id).</summary>
    public uint LegacyInnerId { get; init; }

    /// <summary>tc legacy: for an inner map, the slot of the outer map to insert it in (bpf_elf_map.inner_idx).</summary>
    public uint LegacyInnerIndex { get; init; }

    /// <summary>BTF type of the key, when the map came from BTF (.maps) or BTF describes it.</summary>
    public BtfType? KeyType { get; init; }

    /// <summary>BTF type of the value, when known.</summary>
    public BtfType? ValueType { get; init; }
}
