using System.Buffers.Binary;
using Bpf.Native.Maps;

namespace Bpf.Native.Elf;

/// <summary>
/// tc's legacy map definitions: the <c>maps</c> section holds an array of struct bpf_elf_map (iproute2
/// include/bpf_elf.h: type, size_key, size_value, max_elem, flags, id, pinning, inner_id, inner_idx, all u32),
/// one per symbol. As iproute2 does (lib/bpf_legacy.c, bpf_fetch_maps_end), the entry size is the section size
/// divided by the number of map symbols, so objects built against older, shorter versions of the struct load too;
/// bytes beyond the fields known here must be zero.
/// </summary>
internal static class LegacyMapParser
{
    /// <summary>type, size_key, size_value, max_elem, flags: the oldest struct.</summary>
    private const int MinimumEntryBytes = 20;

    private const int KnownEntryBytes = 36;
    private const int MaximumEntryBytes = 256;

    public static IEnumerable<(ulong Offset, MapSpec Map)> Parse(ElfReader elf, ElfSection section)
    {
        if (section.HasNoBits)
        {
            throw new ElfFormatException("the maps section has no contents (SHT_NOBITS)");
        }
        var symbols = new List<ElfSymbol>();
        foreach (ElfSymbol symbol in elf.Symbols)
        {
            if (symbol.SectionIndex == section.Index && symbol.Type is ElfSymbol.TypeObject or ElfSymbol.TypeNone
                && symbol.Name.Length > 0)
            {
                symbols.Add(symbol);
            }
        }
        if (symbols.Count == 0)
        {
            if (section.Size == 0)
            {
                return [];
            }
            throw new ElfFormatException("the maps section has contents but no map symbols");
        }
        symbols.Sort((a, b) => a.Value.CompareTo(b.Value));
        if (section.Size % symbols.Count != 0)
        {
            throw new ElfFormatException(
                $"maps section size {section.Size} is not a multiple of its {symbols.Count} map definitions");
        }
        long entryBytes = section.Size / symbols.Count;
        if (entryBytes < MinimumEntryBytes || entryBytes > MaximumEntryBytes)
        {
            throw new ElfFormatException(
                $"struct bpf_elf_map of {entryBytes} bytes is not supported ({MinimumEntryBytes}..{MaximumEntryBytes})");
        }
        ReadOnlySpan<byte> data = elf.Data(section);
        var maps = new List<(ulong, MapSpec)>(symbols.Count);
        foreach (ElfSymbol symbol in symbols)
        {
            if (symbol.Value % (ulong)entryBytes != 0 || symbol.Value >= (ulong)section.Size)
            {
                throw new ElfFormatException(
                    $"map '{symbol.Name}' at offset {symbol.Value} is not at a {entryBytes}-byte entry boundary of the maps section");
            }
            ReadOnlySpan<byte> entry = data.Slice((int)symbol.Value, (int)entryBytes);
            for (int i = KnownEntryBytes; i < entry.Length; i++)
            {
                if (entry[i] != 0)
                {
                    throw new ElfFormatException(
                        $"map '{symbol.Name}': byte {i} of its struct bpf_elf_map is a field this loader does not know");
                }
            }
            uint pinning = Field(entry, 6);
            var map = new MapSpec
            {
                Name = symbol.Name,
                Type = (BpfMapType)Field(entry, 0),
                KeySize = Field(entry, 1),
                ValueSize = Field(entry, 2),
                MaxEntries = Field(entry, 3),
                Flags = (BpfMapFlags)Field(entry, 4),
                LegacyId = Field(entry, 5),
                Pinning = pinning switch
                {
                    0 => MapPinning.None,
                    1 => MapPinning.ObjectNamespace,
                    2 => MapPinning.GlobalNamespace,
                    // iproute2 accepts other values as custom pinning subdirectories from /etc/iproute2/bpf_pinning.
                    _ => throw new ElfFormatException(
                        $"map '{symbol.Name}': custom pinning {pinning} (bpf_pinning subdirectories) is not supported"),
                },
                LegacyInnerId = Field(entry, 7),
                LegacyInnerIndex = Field(entry, 8),
                Source = MapSource.LegacyMapsSection,
            };
            maps.Add((symbol.Value, map));
        }
        return ResolveInnerMaps(maps);
    }

    /// <summary>An outer map's inner_id names the inner map template by its id (iproute2 bpf_map_attach, inner_id).</summary>
    private static List<(ulong, MapSpec)> ResolveInnerMaps(List<(ulong Offset, MapSpec Map)> maps)
    {
        var byId = new Dictionary<uint, MapSpec>();
        foreach ((ulong _, MapSpec candidate) in maps)
        {
            if (candidate.LegacyId != 0)
            {
                byId.TryAdd(candidate.LegacyId, candidate);
            }
        }
        var result = new List<(ulong, MapSpec)>(maps.Count);
        foreach ((ulong offset, MapSpec map) in maps)
        {
            if (map.LegacyInnerId == 0)
            {
                result.Add((offset, map));
                continue;
            }
            if (map.Type is not (BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps))
            {
                throw new ElfFormatException($"map '{map.Name}' has an inner_id but is not a map-in-map type");
            }
            if (!byId.TryGetValue(map.LegacyInnerId, out MapSpec? inner) || ReferenceEquals(inner, map))
            {
                throw new ElfFormatException($"map '{map.Name}': no map has id {map.LegacyInnerId}, its inner_id");
            }
            result.Add((offset, map with { InnerMap = inner }));
        }
        return result;
    }

    private static uint Field(ReadOnlySpan<byte> entry, int index) =>
        (index + 1) * 4 <= entry.Length ? BinaryPrimitives.ReadUInt32LittleEndian(entry[(index * 4)..]) : 0;
}
