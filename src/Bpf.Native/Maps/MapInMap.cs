namespace Bpf.Native.Maps;

/// <summary>Rules shared by array_of_maps and hash_of_maps.</summary>
internal static class MapInMap
{
    /// <summary>
    /// bpf_map_meta_equal (kernel/bpf/map_in_map.c): an inner map must match the template's type, key and value
    /// sizes and flags, and max_entries too unless the template has BPF_F_INNER_MAP.
    /// </summary>
    public static bool Fits(MapDefinition template, BpfMap inner) =>
        inner.Type == template.Type
        && inner.KeySize == template.KeySize
        && inner.ValueSize == template.ValueSize
        && (inner.Flags & ~BpfMapFlags.InnerMap) == (template.Flags & ~BpfMapFlags.InnerMap)
        && ((template.Flags & BpfMapFlags.InnerMap) != 0 || inner.MaxEntries == template.MaxEntries)
        && inner.Type is not (BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps or BpfMapType.ProgArray);
}
