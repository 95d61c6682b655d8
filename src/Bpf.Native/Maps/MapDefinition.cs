namespace Bpf.Native.Maps;

/// <summary>
/// What a live map is: the creation attributes (bpf_attr for BPF_MAP_CREATE) plus the number of per-CPU copies.
/// Checked by <see cref="BpfMapFactory"/> against the kernel's rules for the type before any memory is laid out.
/// </summary>
public readonly record struct MapDefinition(
    string Name,
    BpfMapType Type,
    uint KeySize,
    uint ValueSize,
    uint MaxEntries,
    BpfMapFlags Flags = BpfMapFlags.None,
    int CpuCount = 1)
{
    /// <summary>Bytes between consecutive values: the kernel rounds values up to 8 bytes (round_up(value_size, 8)).</summary>
    public int ValueStride => (int)((ValueSize + 7) & ~7u);

    public int KeyStride => (int)((KeySize + 7) & ~7u);
}
