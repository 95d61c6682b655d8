using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Bpf.Native.Btf;
using Bpf.Native.Maps;

namespace Bpf.Native.Elf;

/// <summary>
/// Turns a checked <see cref="ElfReader"/> into an <see cref="ObjectSpec"/>: license, maps (tc legacy <c>maps</c>,
/// libbpf BTF <c>.maps</c>, global data sections as one-element arrays the way libbpf does), then programs, linked
/// by <see cref="ProgramLinker"/>.
/// </summary>
internal sealed class ObjectParser
{
    public const string LegacyMapsSectionName = "maps";
    public const string BtfMapsSectionName = ".maps";

    /// <summary>A data section larger than this is treated as corrupt rather than allocated (.bss has no file bytes).</summary>
    public const long MaxDataSectionBytes = 1 << 24;

    private readonly ElfReader _elf;
    private readonly List<MapSpec> _maps = [];
    private readonly HashSet<string> _mapNames = new(StringComparer.Ordinal);

    // Where each map's definition sits: (section index, byte offset) -> index in _maps. Relocations find maps by this.
    private readonly Dictionary<(int Section, ulong Offset), int> _mapsByLocation = [];
    private readonly Dictionary<int, int> _dataMapsBySection = [];

    public ObjectParser(ElfReader elf)
    {
        _elf = elf;
    }

    public ObjectSpec Parse()
    {
        string license = ReadLicense();
        uint version = ReadVersion();
        BtfSpec? btf = _elf.FindSection(".BTF") is { } btfSection ? BtfSpec.Parse(_elf.Data(btfSection)) : null;

        if (_elf.FindSection(LegacyMapsSectionName) is { } legacy)
        {
            foreach ((ulong offset, MapSpec map) in LegacyMapParser.Parse(_elf, legacy))
            {
                AddMap(map, legacy.Index, offset);
            }
        }
        if (_elf.FindSection(BtfMapsSectionName) is { } btfMaps)
        {
            if (btf is null)
            {
                throw new ElfFormatException("the object has a .maps section but no .BTF section to describe it");
            }
            foreach ((ulong offset, MapSpec map) in new BtfMapParser(_elf, btf, btfMaps).Parse())
            {
                AddMap(map, btfMaps.Index, offset);
            }
        }
        foreach (ElfSection section in _elf.Sections)
        {
            if (IsDataSection(section) && section.Size > 0)
            {
                if (!_mapNames.Add(section.Name))
                {
                    throw new ElfFormatException($"data section '{section.Name}' has the name of another map");
                }
                _dataMapsBySection[section.Index] = _maps.Count;
                _maps.Add(DataSectionMap(section));
            }
        }

        var linker = new ProgramLinker(_elf, license, FindMapAt, _dataMapsBySection, _maps);
        return new ObjectSpec
        {
            Programs = linker.LinkAll(),
            Maps = _maps.ToImmutableArray(),
            License = license,
            KernelVersion = version,
        };
    }

    private void AddMap(MapSpec map, int section, ulong offset)
    {
        if (!_mapNames.Add(map.Name))
        {
            throw new ElfFormatException($"map '{map.Name}' is defined twice");
        }
        if (!_mapsByLocation.TryAdd((section, offset), _maps.Count))
        {
            throw new ElfFormatException($"maps '{map.Name}' and another one share offset {offset}");
        }
        _maps.Add(map);
    }

    private int? FindMapAt(int section, ulong offset) =>
        _mapsByLocation.TryGetValue((section, offset), out int index) ? index : null;

    private string ReadLicense()
    {
        if (_elf.FindSection("license") is not { } section)
        {
            return "";
        }
        ReadOnlySpan<byte> data = _elf.Data(section);
        int end = data.IndexOf((byte)0);
        ReadOnlySpan<byte> text = end < 0 ? data : data[..end];
        if (text.Length > 128)
        {
            throw new ElfFormatException($"license section holds a {text.Length}-byte string; a license name is short");
        }
        return Encoding.UTF8.GetString(text);
    }

    private uint ReadVersion()
    {
        if (_elf.FindSection("version") is not { } section)
        {
            return 0;
        }
        ReadOnlySpan<byte> data = _elf.Data(section);
        if (data.Length != 4)
        {
            throw new ElfFormatException($"version section is {data.Length} bytes, not 4");
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(data);
    }

    /// <summary>libbpf's global data sections: .data, .rodata, .bss and their ".NAME" variants.</summary>
    internal static bool IsDataSection(ElfSection section)
    {
        if ((section.Flags & ElfSection.FlagAlloc) == 0 || (section.Flags & ElfSection.FlagExecute) != 0)
        {
            return false;
        }
        string name = section.Name;
        if (section.Type == ElfSection.TypeNoBits)
        {
            return name == ".bss" || name.StartsWith(".bss.", StringComparison.Ordinal);
        }
        return section.Type == ElfSection.TypeProgBits
            && (name is ".data" or ".rodata"
                || name.StartsWith(".data.", StringComparison.Ordinal)
                || name.StartsWith(".rodata.", StringComparison.Ordinal));
    }

    private MapSpec DataSectionMap(ElfSection section)
    {
        bool readOnly = section.Name.StartsWith(".rodata", StringComparison.Ordinal);
        if (section.Size > MaxDataSectionBytes)
        {
            throw new ElfFormatException($"data section '{section.Name}' is {section.Size} bytes, too large for a map value");
        }
        byte[] contents = section.HasNoBits ? new byte[section.Size] : _elf.Data(section).ToArray();
        return new MapSpec
        {
            Name = section.Name,
            Type = BpfMapType.Array,
            KeySize = 4,
            ValueSize = (uint)section.Size,
            MaxEntries = 1,
            // libbpf: data maps are mmapable; .rodata is read-only to programs and frozen after load.
            Flags = BpfMapFlags.Mmapable | (readOnly ? BpfMapFlags.ReadOnlyProgram : BpfMapFlags.None),
            Freeze = readOnly,
            Source = MapSource.DataSection,
            Contents = ImmutableArray.Create(contents),
        };
    }
}
