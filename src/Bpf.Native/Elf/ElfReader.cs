using System.Buffers.Binary;
using System.Text;

namespace Bpf.Native.Elf;

/// <summary>
/// The one hardened reader of untrusted ELF input: ELF64 little-endian relocatable objects for EM_BPF. Every offset,
/// size and index is checked before it is used, so a corrupt or hostile file ends in an <see cref="ElfFormatException"/>
/// naming what is wrong, never in another exception. Nothing downstream touches raw file offsets: sections,
/// symbols and relocations come out of here already validated.
/// </summary>
public sealed class ElfReader
{
    public const ushort MachineBpf = 247;
    private const int HeaderBytes = 64;
    private const int SectionHeaderBytes = 64;
    private const int SymbolBytes = 24;
    private const int RelBytes = 16;
    private const int RelaBytes = 24;
    private const ushort ExtendedIndex = 0xffff;

    /// <summary>Names longer than this are treated as corrupt (the kernel caps object names far lower).</summary>
    private const int MaxNameBytes = 4096;

    private readonly ReadOnlyMemory<byte> _image;
    private readonly ElfSection[] _sections;
    private readonly ElfSymbol[] _symbols;
    private readonly Dictionary<string, ElfSection> _sectionsByName = new(StringComparer.Ordinal);

    private ElfReader(ReadOnlyMemory<byte> image, ElfSection[] sections, ElfSymbol[] symbols)
    {
        _image = image;
        _sections = sections;
        _symbols = symbols;
        foreach (ElfSection section in sections)
        {
            _sectionsByName.TryAdd(section.Name, section);
        }
    }

    public IReadOnlyList<ElfSection> Sections => _sections;

    /// <summary>The symbol table (.symtab); entry 0 is the null symbol. Empty when the object has none.</summary>
    public IReadOnlyList<ElfSymbol> Symbols => _symbols;

    public static ElfReader Parse(ReadOnlyMemory<byte> image)
    {
        ReadOnlySpan<byte> span = image.Span;
        if (span.Length < HeaderBytes)
        {
            throw new ElfFormatException($"not an ELF object: {span.Length} bytes is shorter than the ELF header");
        }
        if (span[0] != 0x7f || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F')
        {
            throw new ElfFormatException("not an ELF object: bad magic");
        }
        if (span[4] != 2)
        {
            throw new ElfFormatException($"unsupported ELF class {span[4]}: BPF objects are ELF64");
        }
        if (span[5] != 1)
        {
            throw new ElfFormatException(span[5] == 2
                ? "big-endian BPF objects are not supported (compile with -target bpfel or -target bpf on a little-endian host)"
                : $"unsupported ELF data encoding {span[5]}");
        }
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(span[16..]);
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(span[18..]);
        if (type != 1)
        {
            throw new ElfFormatException($"ELF type {type} is not a relocatable object (ET_REL)");
        }
        if (machine != MachineBpf)
        {
            throw new ElfFormatException($"ELF machine {machine} is not BPF ({MachineBpf})");
        }
        ulong sectionTableOffset = BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        ushort sectionHeaderSize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3a..]);
        long sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3c..]);
        long namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3e..]);
        if (sectionTableOffset == 0)
        {
            throw new ElfFormatException("the object has no section header table");
        }
        if (sectionHeaderSize != SectionHeaderBytes)
        {
            throw new ElfFormatException($"section header size {sectionHeaderSize} is not {SectionHeaderBytes}");
        }
        long tableOffset = CheckRange(span.Length, sectionTableOffset, SectionHeaderBytes, "section header table");
        if (sectionCount == 0 || namesIndex == ExtendedIndex)
        {
            // Extended numbering (gABI): the real count and string table index live in section 0.
            ReadOnlySpan<byte> first = span.Slice((int)tableOffset, SectionHeaderBytes);
            if (sectionCount == 0)
            {
                ulong extendedCount = BinaryPrimitives.ReadUInt64LittleEndian(first[0x20..]);
                if (extendedCount > int.MaxValue / SectionHeaderBytes)
                {
                    throw new ElfFormatException($"section count {extendedCount} is out of range");
                }
                sectionCount = (long)extendedCount;
            }
            if (namesIndex == ExtendedIndex)
            {
                namesIndex = BinaryPrimitives.ReadUInt32LittleEndian(first[0x28..]);
            }
        }
        CheckRange(span.Length, sectionTableOffset, (ulong)sectionCount * SectionHeaderBytes, "section header table");
        if (namesIndex == 0 || namesIndex >= sectionCount)
        {
            throw new ElfFormatException($"section name table index {namesIndex} is out of range (0..{sectionCount - 1})");
        }

        var raw = new RawSection[sectionCount];
        for (int i = 0; i < sectionCount; i++)
        {
            raw[i] = ReadSectionHeader(span, tableOffset + (long)i * SectionHeaderBytes, i);
        }
        RawSection names = raw[namesIndex];
        if (names.Type != ElfSection.TypeStringTable)
        {
            throw new ElfFormatException($"section {namesIndex} named as the section name table is not a string table");
        }
        ReadOnlySpan<byte> nameTable = span.Slice((int)names.Offset, (int)names.Size);
        var sections = new ElfSection[sectionCount];
        for (int i = 0; i < sectionCount; i++)
        {
            RawSection s = raw[i];
            string name = i == 0 ? "" : ReadString(nameTable, s.NameOffset, $"name of section {i}");
            sections[i] = new ElfSection(i, name, s.Type, s.Flags, s.Offset, s.Size, s.Link, s.Info, s.Alignment, s.EntrySize);
        }

        ElfSymbol[] symbols = ReadSymbols(span, sections);
        return new ElfReader(image, sections, symbols);
    }

    public ElfSection? FindSection(string name) => _sectionsByName.GetValueOrDefault(name);

    public ElfSection Section(int index, string what)
    {
        if ((uint)index >= (uint)_sections.Length)
        {
            throw new ElfFormatException($"{what}: section index {index} is out of range (0..{_sections.Length - 1})");
        }
        return _sections[index];
    }

    public ElfSymbol Symbol(int index, string what)
    {
        if ((uint)index >= (uint)_symbols.Length)
        {
            throw new ElfFormatException($"{what}: symbol index {index} is out of range (0..{_symbols.Length - 1})");
        }
        return _symbols[index];
    }

    /// <summary>The bytes of a section; empty for SHT_NOBITS (whose <see cref="ElfSection.Size"/> still counts).</summary>
    public ReadOnlySpan<byte> Data(ElfSection section) =>
        section.HasNoBits ? ReadOnlySpan<byte>.Empty : _image.Span.Slice((int)section.Offset, (int)section.Size);

    /// <summary>The relocations of a SHT_REL or SHT_RELA section, each checked against the symbol table.</summary>
    public IReadOnlyList<ElfRelocation> Relocations(ElfSection section)
    {
        bool hasAddend = section.Type == ElfSection.TypeRela;
        if (!hasAddend && section.Type != ElfSection.TypeRel)
        {
            throw new ElfFormatException($"section '{section.Name}' is not a relocation section");
        }
        int entryBytes = hasAddend ? RelaBytes : RelBytes;
        if (section.Size % entryBytes != 0)
        {
            throw new ElfFormatException(
                $"relocation section '{section.Name}' size {section.Size} is not a multiple of {entryBytes}");
        }
        ReadOnlySpan<byte> data = Data(section);
        var relocations = new ElfRelocation[data.Length / entryBytes];
        for (int i = 0; i < relocations.Length; i++)
        {
            ReadOnlySpan<byte> entry = data.Slice(i * entryBytes, entryBytes);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(entry);
            ulong info = BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
            long addend = hasAddend ? BinaryPrimitives.ReadInt64LittleEndian(entry[16..]) : 0;
            ulong symbol = info >> 32;
            if (symbol >= (ulong)_symbols.Length)
            {
                throw new ElfFormatException(
                    $"relocation {i} in '{section.Name}' names symbol {symbol}, but the symbol table has {_symbols.Length}");
            }
            if (offset > long.MaxValue)
            {
                throw new ElfFormatException($"relocation {i} in '{section.Name}' has offset {offset} out of range");
            }
            relocations[i] = new ElfRelocation((long)offset, (int)symbol, (uint)info, addend);
        }
        return relocations;
    }

    private static ElfSymbol[] ReadSymbols(ReadOnlySpan<byte> span, ElfSection[] sections)
    {
        ElfSection? table = null;
        foreach (ElfSection section in sections)
        {
            if (section.Type == ElfSection.TypeSymbolTable)
            {
                if (table is not null)
                {
                    throw new ElfFormatException("the object has more than one symbol table");
                }
                table = section;
            }
        }
        if (table is null)
        {
            return [];
        }
        if (table.EntrySize != SymbolBytes && table.EntrySize != 0)
        {
            throw new ElfFormatException($"symbol table entry size {table.EntrySize} is not {SymbolBytes}");
        }
        if (table.Size % SymbolBytes != 0)
        {
            throw new ElfFormatException($"symbol table size {table.Size} is not a multiple of {SymbolBytes}");
        }
        if (table.Link == 0 || table.Link >= sections.Length || sections[table.Link].Type != ElfSection.TypeStringTable)
        {
            throw new ElfFormatException($"symbol table links to section {table.Link}, which is not a string table");
        }
        ElfSection strings = sections[table.Link];
        ReadOnlySpan<byte> stringData = span.Slice((int)strings.Offset, (int)strings.Size);
        ReadOnlySpan<byte> data = span.Slice((int)table.Offset, (int)table.Size);
        var symbols = new ElfSymbol[data.Length / SymbolBytes];
        for (int i = 0; i < symbols.Length; i++)
        {
            ReadOnlySpan<byte> entry = data.Slice(i * SymbolBytes, SymbolBytes);
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            ushort sectionIndex = BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]);
            if (sectionIndex != ElfSymbol.SectionUndefined && sectionIndex < ElfSymbol.SectionReservedStart
                && sectionIndex >= sections.Length)
            {
                throw new ElfFormatException($"symbol {i} lies in section {sectionIndex}, which does not exist");
            }
            string name = i == 0 ? "" : ReadString(stringData, nameOffset, $"name of symbol {i}");
            symbols[i] = new ElfSymbol(i, name, entry[4], entry[5], sectionIndex,
                BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]), BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]));
        }
        return symbols;
    }

    private static RawSection ReadSectionHeader(ReadOnlySpan<byte> span, long offset, int index)
    {
        ReadOnlySpan<byte> header = span.Slice((int)offset, SectionHeaderBytes);
        var section = new RawSection
        {
            NameOffset = BinaryPrimitives.ReadUInt32LittleEndian(header),
            Type = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
            Flags = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]),
            Link = BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]),
            Info = BinaryPrimitives.ReadUInt32LittleEndian(header[0x2c..]),
            Alignment = BinaryPrimitives.ReadUInt64LittleEndian(header[0x30..]),
        };
        ulong fileOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
        ulong entrySize = BinaryPrimitives.ReadUInt64LittleEndian(header[0x38..]);
        if (entrySize > int.MaxValue)
        {
            throw new ElfFormatException($"section {index} entry size {entrySize} is out of range");
        }
        section.EntrySize = (long)entrySize;
        if (section.Type == ElfSection.TypeNoBits || section.Type == ElfSection.TypeNull)
        {
            // No bytes in the file; the size only matters for .bss, which becomes a map value: keep it sane.
            if (size > int.MaxValue)
            {
                throw new ElfFormatException($"section {index} size {size} is out of range");
            }
            section.Offset = 0;
            section.Size = (long)size;
        }
        else
        {
            section.Offset = CheckRange(span.Length, fileOffset, size, $"section {index}");
            section.Size = (long)size;
        }
        return section;
    }

    /// <summary>Checks that [offset, offset + size) lies inside a file of <paramref name="fileLength"/> bytes.</summary>
    private static long CheckRange(int fileLength, ulong offset, ulong size, string what)
    {
        if (offset > (ulong)fileLength || size > (ulong)fileLength - offset)
        {
            throw new ElfFormatException(
                $"{what} at offset {offset} with size {size} extends past the end of the {fileLength}-byte file");
        }
        return (long)offset;
    }

    /// <summary>A NUL-terminated string at <paramref name="offset"/> in a string table, checked.</summary>
    public static string ReadString(ReadOnlySpan<byte> table, ulong offset, string what)
    {
        if (offset >= (ulong)table.Length)
        {
            throw new ElfFormatException($"{what}: string offset {offset} is outside the {table.Length}-byte string table");
        }
        ReadOnlySpan<byte> rest = table[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new ElfFormatException($"{what}: string at offset {offset} is not NUL-terminated");
        }
        if (end > MaxNameBytes)
        {
            throw new ElfFormatException($"{what}: string at offset {offset} is {end} bytes long");
        }
        return Encoding.UTF8.GetString(rest[..end]);
    }

    private struct RawSection
    {
        public uint NameOffset;
        public uint Type;
        public ulong Flags;
        public long Offset;
        public long Size;
        public uint Link;
        public uint Info;
        public ulong Alignment;
        public long EntrySize;
    }
}
