using Bpf.Native.Btf;
using Bpf.Native.Maps;

namespace Bpf.Native.Elf;

/// <summary>
/// libbpf's BTF-defined maps (tools/lib/bpf/libbpf.c, parse_btf_map_def): the <c>.maps</c> data section's BTF
/// DATASEC lists one variable per map, whose type is a struct of members written with bpf_helpers.h macros:
/// <c>__uint(name, N)</c> is <c>int (*name)[N]</c> (a pointer to an array of N), <c>__type(key, T)</c> is
/// <c>T *key</c>, and <c>__array(values, T)</c> is a zero-length array of pointers, filled through the
/// <c>.rel.maps</c> relocations of its initialiser.
/// </summary>
internal sealed class BtfMapParser
{
    private const int MaxInnerDepth = 1;

    private readonly ElfReader _elf;
    private readonly BtfSpec _btf;
    private readonly ElfSection _section;
    private Dictionary<string, ElfSymbol>? _symbolsByName;

    public BtfMapParser(ElfReader elf, BtfSpec btf, ElfSection section)
    {
        _elf = elf;
        _btf = btf;
        _section = section;
    }

    public List<(ulong Offset, MapSpec Map)> Parse()
    {
        BtfType datasec = _btf.Find(BtfKind.DataSection, ObjectParser.BtfMapsSectionName)
            ?? throw new ElfFormatException("BTF has no DATASEC '.maps' describing the .maps section");
        IReadOnlyList<ElfRelocation> relocations = [];
        foreach (ElfSection candidate in _elf.Sections)
        {
            if (candidate.Type is ElfSection.TypeRel or ElfSection.TypeRela && candidate.Info == (uint)_section.Index)
            {
                relocations = _elf.Relocations(candidate);
            }
        }

        var maps = new List<(ulong, MapSpec)>();
        foreach (BtfMember entry in datasec.Members)
        {
            BtfType variable = _btf.Type(entry.Type, ".maps entry");
            if (variable.Kind != BtfKind.Variable)
            {
                throw new ElfFormatException($".maps entry type {variable.Id} is {variable.Kind}, not a variable");
            }
            string name = variable.Name;
            if (name.Length == 0)
            {
                throw new ElfFormatException(".maps holds an unnamed variable");
            }
            ElfSymbol? symbol = MapSymbol(name);
            ulong offset = symbol?.Value ?? entry.Offset;
            BtfType definition = _btf.SkipModifiers(variable.ReferencedType, $"map '{name}'");
            if (definition.Kind != BtfKind.Struct)
            {
                throw new ElfFormatException($"map '{name}' is a {definition.Kind}, not a struct map definition");
            }
            // The symbol's size covers a values initialiser, which the struct's flexible array leaves out.
            long definitionBytes = Math.Max(_btf.SizeOf(definition.Id, $"map '{name}'"), (long)Math.Min(symbol?.Size ?? 0, int.MaxValue));
            if (offset > (ulong)_section.Size || (ulong)definitionBytes > (ulong)_section.Size - offset)
            {
                throw new ElfFormatException($"map '{name}' at offset {offset} lies outside the .maps section");
            }
            MapSpec map = ParseDefinition(name, definition, 0);
            map = map with { InitialValues = InitialValues(map, definition, offset, definitionBytes, relocations) };
            maps.Add((offset, map));
        }
        return maps;
    }

    private ElfSymbol? MapSymbol(string name)
    {
        if (_symbolsByName is null)
        {
            _symbolsByName = new Dictionary<string, ElfSymbol>(StringComparer.Ordinal);
            foreach (ElfSymbol symbol in _elf.Symbols)
            {
                if (symbol.SectionIndex == _section.Index && symbol.Type != ElfSymbol.TypeSection)
                {
                    _symbolsByName.TryAdd(symbol.Name, symbol);
                }
            }
        }
        return _symbolsByName.GetValueOrDefault(name);
    }

    private MapSpec ParseDefinition(string name, BtfType definition, int depth)
    {
        BpfMapType? type = null;
        uint? keySize = null, valueSize = null;
        uint maxEntries = 0, flags = 0, pinning = 0, numaNode = 0;
        ulong mapExtra = 0;
        BtfType? keyType = null, valueType = null;
        MapSpec? inner = null;

        foreach (BtfMember member in definition.Members)
        {
            string what = $"map '{name}' field '{member.Name}'";
            switch (member.Name)
            {
                case "type":
                    type = (BpfMapType)IntField(member, what);
                    break;
                case "max_entries":
                    maxEntries = IntField(member, what);
                    break;
                case "map_flags":
                    flags = IntField(member, what);
                    break;
                case "numa_node":
                    numaNode = IntField(member, what);
                    break;
                case "map_extra":
                    mapExtra = IntField(member, what);
                    break;
                case "pinning":
                    pinning = IntField(member, what);
                    break;
                case "key_size":
                    keySize = Agree(keySize, IntField(member, what), what);
                    break;
                case "value_size":
                    valueSize = Agree(valueSize, IntField(member, what), what);
                    break;
                case "key":
                    keyType = PointeeType(member, what);
                    keySize = Agree(keySize, (uint)_btf.SizeOf(keyType.Id, what), what);
                    break;
                case "value":
                    valueType = PointeeType(member, what);
                    valueSize = Agree(valueSize, (uint)_btf.SizeOf(valueType.Id, what), what);
                    break;
                case "values":
                    inner = ValuesTemplate(name, member, depth, what);
                    break;
                default:
                    // libbpf rejects unknown fields in strict mode, which BTF-defined .maps always use.
                    throw new ElfFormatException($"map '{name}' has unknown field '{member.Name}'");
            }
        }
        if (type is null)
        {
            throw new ElfFormatException($"map '{name}' does not define its type");
        }
        if (inner is not null && type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps)
        {
            // map-in-map values are inner map ids: 4 bytes, whatever the template says (libbpf sets value_size 4).
            valueSize = Agree(valueSize, 4, $"map '{name}' value_size");
        }
        if (type is BpfMapType.ProgArray)
        {
            valueSize ??= 4;
        }
        return new MapSpec
        {
            Name = name,
            Type = type.Value,
            KeySize = keySize ?? 0,
            ValueSize = valueSize ?? 0,
            MaxEntries = maxEntries,
            Flags = (BpfMapFlags)flags,
            NumaNode = numaNode,
            MapExtra = mapExtra,
            Pinning = pinning switch
            {
                0 => MapPinning.None,
                1 => MapPinning.ByName,
                _ => throw new ElfFormatException($"map '{name}' has unknown pinning {pinning} (LIBBPF_PIN_BY_NAME is 1)"),
            },
            InnerMap = inner,
            KeyType = keyType,
            ValueType = valueType,
            Source = MapSource.BtfMapsSection,
        };
    }

    /// <summary><c>__array(values, T)</c>: for map-in-map, T is the inner map's definition struct.</summary>
    private MapSpec? ValuesTemplate(string name, BtfMember member, int depth, string what)
    {
        BtfType array = _btf.SkipModifiers(member.Type, what);
        if (array.Kind != BtfKind.Array)
        {
            throw new ElfFormatException($"{what} is not an array");
        }
        BtfType pointer = _btf.SkipModifiers(array.ArrayElementType, what);
        if (pointer.Kind != BtfKind.Pointer)
        {
            throw new ElfFormatException($"{what} is not an array of pointers");
        }
        BtfType target = _btf.SkipModifiers(pointer.ReferencedType, what);
        if (target.Kind == BtfKind.FunctionPrototype)
        {
            return null; // prog_array of programs
        }
        if (target.Kind != BtfKind.Struct)
        {
            throw new ElfFormatException($"{what} points to a {target.Kind}, not an inner map definition");
        }
        if (depth >= MaxInnerDepth)
        {
            throw new ElfFormatException($"map '{name}': inner maps of inner maps are not supported");
        }
        string innerName = target.Name.Length > 0 ? target.Name : name + ".inner";
        return ParseDefinition(innerName, target, depth + 1);
    }

    /// <summary>Relocations inside the map's <c>values</c> array name the maps or programs its slots start with.</summary>
    private EquatableArray<MapInitialValue> InitialValues(
        MapSpec map, BtfType definition, ulong offset, long definitionBytes, IReadOnlyList<ElfRelocation> relocations)
    {
        BtfMember? values = null;
        foreach (BtfMember member in definition.Members)
        {
            if (member.Name == "values")
            {
                values = member;
            }
        }
        var initial = new List<MapInitialValue>();
        foreach (ElfRelocation relocation in relocations)
        {
            ulong at = (ulong)relocation.Offset;
            if (at < offset || at >= offset + (ulong)definitionBytes)
            {
                continue;
            }
            if (values is null)
            {
                throw new ElfFormatException($"map '{map.Name}' has a relocation at offset {at} but no values field");
            }
            // Bitfield structs pack the bit size into the top byte; map definitions never use bitfields.
            ulong valuesStart = offset + (values.Value.Offset & 0xffffff) / 8;
            if (at < valuesStart || (at - valuesStart) % 8 != 0)
            {
                throw new ElfFormatException($"map '{map.Name}' has a relocation at offset {at}, not on a values slot");
            }
            uint index = (uint)((at - valuesStart) / 8);
            if (index >= map.MaxEntries)
            {
                throw new ElfFormatException($"map '{map.Name}' initialises slot {index}, past max_entries {map.MaxEntries}");
            }
            ElfSymbol symbol = _elf.Symbol(relocation.SymbolIndex, $"relocation in .maps at {at}");
            if (symbol.Name.Length == 0)
            {
                throw new ElfFormatException($"map '{map.Name}' slot {index} refers to an unnamed symbol");
            }
            initial.Add(new MapInitialValue(index, symbol.Name));
        }
        if (values is not null && map.Type is not (BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps or BpfMapType.ProgArray))
        {
            throw new ElfFormatException($"map '{map.Name}' of type {map.Type} cannot have a values initialiser");
        }
        initial.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new EquatableArray<MapInitialValue>([.. initial]);
    }

    private uint IntField(BtfMember member, string what)
    {
        BtfType pointer = _btf.SkipModifiers(member.Type, what);
        if (pointer.Kind != BtfKind.Pointer)
        {
            throw new ElfFormatException($"{what} is not written as __uint (a pointer to an array)");
        }
        BtfType array = _btf.SkipModifiers(pointer.ReferencedType, what);
        if (array.Kind != BtfKind.Array)
        {
            throw new ElfFormatException($"{what} is not written as __uint (a pointer to an array)");
        }
        return array.ArrayLength;
    }

    private BtfType PointeeType(BtfMember member, string what)
    {
        BtfType pointer = _btf.SkipModifiers(member.Type, what);
        if (pointer.Kind != BtfKind.Pointer)
        {
            throw new ElfFormatException($"{what} is not written as __type (a pointer)");
        }
        return _btf.Type(pointer.ReferencedType, what);
    }

    private static uint Agree(uint? existing, uint value, string what)
    {
        if (existing is { } size && size != value)
        {
            throw new ElfFormatException($"{what}: size {value} disagrees with {size} given before");
        }
        return value;
    }
}
