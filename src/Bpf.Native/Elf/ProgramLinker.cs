using System.Buffers.Binary;
using System.Collections.Immutable;

namespace Bpf.Native.Elf;

/// <summary>
/// Finds the programs in an object's executable sections and links each one the way libbpf does
/// (tools/lib/bpf/libbpf.c, bpf_object__reloc_code): the entry function first, then every function it calls
/// (bpf-to-bpf calls and BPF_PSEUDO_FUNC callback addresses, transitively) appended once, with call offsets
/// rewritten to the new layout. Map loads become by-index ld_imm64s with a <see cref="MapReference"/> each.
/// </summary>
internal sealed class ProgramLinker
{
    private const byte OpcodeLoadImm64 = 0x18;
    private const byte OpcodeCall = 0x85;
    private const byte PseudoCall = 1;
    private const byte PseudoMapIndex = 5;
    private const byte PseudoMapIndexValue = 6;
    private const byte PseudoFunction = 4;

    private readonly ElfReader _elf;
    private readonly string _license;
    private readonly Func<int, ulong, int?> _findMapAt;
    private readonly IReadOnlyDictionary<int, int> _dataMapsBySection;
    private readonly IReadOnlyList<MapSpec> _maps;

    private readonly Dictionary<int, ulong[]> _words = [];
    private readonly Dictionary<int, List<Function>> _functions = [];
    private readonly Dictionary<int, Dictionary<int, ElfRelocation>> _relocations = [];

    public ProgramLinker(
        ElfReader elf,
        string license,
        Func<int, ulong, int?> findMapAt,
        IReadOnlyDictionary<int, int> dataMapsBySection,
        IReadOnlyList<MapSpec> maps)
    {
        _elf = elf;
        _license = license;
        _findMapAt = findMapAt;
        _dataMapsBySection = dataMapsBySection;
        _maps = maps;
    }

    public ImmutableArray<ProgramSpec> LinkAll()
    {
        var functionSymbols = new Dictionary<int, List<ElfSymbol>>();
        foreach (ElfSymbol symbol in _elf.Symbols)
        {
            if (symbol.Type == ElfSymbol.TypeFunction)
            {
                if (!functionSymbols.TryGetValue(symbol.SectionIndex, out List<ElfSymbol>? list))
                {
                    functionSymbols[symbol.SectionIndex] = list = [];
                }
                list.Add(symbol);
            }
        }
        foreach (ElfSection section in _elf.Sections)
        {
            if (section.IsExecutable && section.Size > 0)
            {
                LoadSection(section, functionSymbols.GetValueOrDefault(section.Index) ?? []);
            }
        }
        foreach (ElfSection section in _elf.Sections)
        {
            if (section.Type is ElfSection.TypeRel or ElfSection.TypeRela && _words.ContainsKey((int)section.Info))
            {
                LoadRelocations(section, (int)section.Info);
            }
        }

        var programs = ImmutableArray.CreateBuilder<ProgramSpec>();
        foreach (ElfSection section in _elf.Sections)
        {
            if (!_functions.TryGetValue(section.Index, out List<Function>? functions) || section.Name == ".text")
            {
                continue;
            }
            bool anyGlobal = functions.Exists(f => f.IsGlobal);
            foreach (Function function in functions)
            {
                if (function.IsGlobal || !anyGlobal)
                {
                    programs.Add(Link(section, function));
                }
            }
        }
        return programs.ToImmutable();
    }

    private void LoadSection(ElfSection section, List<ElfSymbol> symbols)
    {
        if (section.Size % 8 != 0)
        {
            throw new ElfFormatException($"section '{section.Name}' is {section.Size} bytes, not a whole number of instructions");
        }
        ReadOnlySpan<byte> data = _elf.Data(section);
        var words = new ulong[data.Length / 8];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(data[(i * 8)..]);
        }
        _words[section.Index] = words;

        symbols.Sort((a, b) => a.Value != b.Value ? a.Value.CompareTo(b.Value) : b.Bind.CompareTo(a.Bind));
        var functions = new List<Function>();
        if (symbols.Count == 0)
        {
            // tc's legacy objects: one program per section, named after it.
            functions.Add(new Function(section.Name, 0, words.Length, IsGlobal: false));
        }
        for (int i = 0; i < symbols.Count; i++)
        {
            ElfSymbol symbol = symbols[i];
            if (symbol.Value % 8 != 0 || symbol.Value >= (ulong)section.Size)
            {
                throw new ElfFormatException(
                    $"function '{symbol.Name}' at offset {symbol.Value} is not an instruction of section '{section.Name}'");
            }
            if (functions.Count > 0 && functions[^1].Start == (int)(symbol.Value / 8))
            {
                continue; // an alias of the function before
            }
            int start = (int)(symbol.Value / 8);
            int nextStart = i + 1 < symbols.Count ? (int)Math.Min(symbols[i + 1].Value / 8, (ulong)words.Length) : words.Length;
            int end = symbol.Size == 0 ? nextStart : start + (int)Math.Min(symbol.Size / 8, (ulong)words.Length);
            if (symbol.Size % 8 != 0 || end > words.Length || end <= start)
            {
                throw new ElfFormatException(
                    $"function '{symbol.Name}' of {symbol.Size} bytes at offset {symbol.Value} does not fit section '{section.Name}'");
            }
            if (end > nextStart)
            {
                throw new ElfFormatException($"function '{symbol.Name}' overlaps the next function in section '{section.Name}'");
            }
            functions.Add(new Function(symbol.Name, start, end - start, symbol.IsGlobal));
        }
        _functions[section.Index] = functions;
    }

    private void LoadRelocations(ElfSection relocationSection, int target)
    {
        ulong[] words = _words[target];
        if (!_relocations.TryGetValue(target, out Dictionary<int, ElfRelocation>? byInstruction))
        {
            byInstruction = [];
            _relocations[target] = byInstruction;
        }
        foreach (ElfRelocation relocation in _elf.Relocations(relocationSection))
        {
            if (relocation.Offset % 8 != 0 || relocation.Offset / 8 >= words.Length)
            {
                throw new ElfFormatException(
                    $"relocation at offset {relocation.Offset} of '{relocationSection.Name}' is not on an instruction");
            }
            if (relocation.Type is not (ElfRelocation.TypeBpf64_64 or ElfRelocation.TypeBpf64_32))
            {
                throw new ElfFormatException(
                    $"relocation type {relocation.Type} at offset {relocation.Offset} of '{relocationSection.Name}' is not supported in code");
            }
            if (!byInstruction.TryAdd((int)(relocation.Offset / 8), relocation))
            {
                throw new ElfFormatException(
                    $"two relocations apply to offset {relocation.Offset} of '{relocationSection.Name}'");
            }
        }
    }

    private ProgramSpec Link(ElfSection entrySection, Function entry)
    {
        var output = new List<ulong>();
        var references = new List<MapReference>();
        var layout = new List<ProgramFunction>();
        var placed = new Dictionary<(int Section, int Start), int>();
        var pending = new Queue<(int Section, Function Function)>();
        int end = 0; // where the next function to be placed will start

        int Place(int section, Function function)
        {
            if (!placed.TryGetValue((section, function.Start), out int at))
            {
                at = end;
                end += function.Length;
                placed[(section, function.Start)] = at;
                pending.Enqueue((section, function));
            }
            return at;
        }

        Place(entrySection.Index, entry);
        while (pending.Count > 0)
        {
            (int section, Function function) = pending.Dequeue();
            int baseIndex = output.Count;
            layout.Add(new ProgramFunction(function.Name, baseIndex, function.Length));
            ulong[] words = _words[section];
            output.AddRange(words.AsSpan(function.Start, function.Length));
            _relocations.TryGetValue(section, out Dictionary<int, ElfRelocation>? relocations);
            for (int i = 0; i < function.Length; i++)
            {
                int sectionIndex = function.Start + i;
                int outIndex = baseIndex + i;
                ulong word = words[sectionIndex];
                byte opcode = (byte)word;
                byte src = (byte)((word >> 12) & 0xf);
                ElfRelocation? relocation = relocations is not null && relocations.TryGetValue(sectionIndex, out ElfRelocation r)
                    ? r : null;
                string where = $"instruction {i} of '{function.Name}' in section '{_elf.Sections[section].Name}'";

                if (opcode == OpcodeLoadImm64)
                {
                    if (i + 1 >= function.Length)
                    {
                        throw new ElfFormatException($"{where}: ld_imm64 is cut off by the end of the function");
                    }
                    if (relocation is { } load)
                    {
                        LinkLoad(output, references, outIndex, load, where, (s, f) => Place(s, f));
                    }
                    else if (src != 0)
                    {
                        throw new ElfFormatException($"{where}: ld_imm64 with src {src} has no relocation");
                    }
                    i++;
                    continue;
                }
                if (opcode == OpcodeCall && src == PseudoCall)
                {
                    int immediate = Immediate(word);
                    (int targetSection, long target) = relocation is { } call
                        ? CallTarget(call, immediate, where)
                        : (section, (long)sectionIndex + immediate + 1);
                    int targetOut = Resolve(targetSection, target, where, (s, f) => Place(s, f));
                    output[outIndex] = WithImmediate(word, targetOut - outIndex - 1);
                    continue;
                }
                if (relocation is not null)
                {
                    throw new ElfFormatException($"{where}: relocation applies to opcode 0x{opcode:x2}, not ld_imm64 or call");
                }
            }
        }

        return new ProgramSpec
        {
            Name = entry.Name,
            SectionName = entrySection.Name,
            Instructions = output.ToImmutableArray(),
            License = _license,
            MapReferences = references.ToImmutableArray(),
            Functions = layout.ToImmutableArray(),
        };
    }

    private void LinkLoad(
        List<ulong> output, List<MapReference> references, int outIndex, ElfRelocation relocation, string where,
        Func<int, Function, int> place)
    {
        if (relocation.Type != ElfRelocation.TypeBpf64_64)
        {
            throw new ElfFormatException($"{where}: ld_imm64 has relocation type {relocation.Type}, not R_BPF_64_64");
        }
        ElfSymbol symbol = _elf.Symbol(relocation.SymbolIndex, where);
        ulong word = output[outIndex];
        int immediate = Immediate(word);
        if (symbol.SectionIndex == ElfSymbol.SectionUndefined || symbol.SectionIndex >= ElfSymbol.SectionReservedStart)
        {
            throw new ElfFormatException(
                $"{where}: refers to extern or absolute symbol '{symbol.Name}' (kconfig/ksym externs are not supported)");
        }
        ElfSection target = _elf.Section(symbol.SectionIndex, where);
        ulong offset = symbol.Type == ElfSymbol.TypeSection ? symbol.Value + (ulong)(uint)immediate : symbol.Value;

        if (_dataMapsBySection.TryGetValue(target.Index, out int dataMap))
        {
            // Global data: libbpf puts the variable's offset in the second slot's imm (BPF_PSEUDO_MAP_VALUE).
            ulong valueOffset = symbol.Value + (ulong)(long)immediate;
            if (valueOffset >= _maps[dataMap].ValueSize)
            {
                throw new ElfFormatException($"{where}: offset {valueOffset} is outside '{target.Name}'");
            }
            output[outIndex] = WithSource(WithImmediate(word, dataMap), PseudoMapIndexValue);
            output[outIndex + 1] = WithImmediate(output[outIndex + 1], (int)valueOffset);
            references.Add(new MapReference(outIndex, _maps[dataMap].Name, MapReferenceKind.Value, (uint)valueOffset));
            return;
        }
        if (_findMapAt(target.Index, offset) is { } map)
        {
            output[outIndex] = WithSource(WithImmediate(word, map), PseudoMapIndex);
            output[outIndex + 1] = WithImmediate(output[outIndex + 1], 0);
            references.Add(new MapReference(outIndex, _maps[map].Name, MapReferenceKind.Map, 0));
            return;
        }
        if (_words.ContainsKey(target.Index))
        {
            // A callback's address (BPF_PSEUDO_FUNC): libbpf's sub_insn_idx = (sym_off + imm) / 8.
            ulong byteOffset = symbol.Value + (ulong)(long)immediate;
            if (byteOffset % 8 != 0)
            {
                throw new ElfFormatException($"{where}: function address {byteOffset} is not on an instruction");
            }
            int targetOut = Resolve(target.Index, (long)(byteOffset / 8), where, place);
            output[outIndex] = WithSource(WithImmediate(word, targetOut - outIndex - 1), PseudoFunction);
            return;
        }
        throw new ElfFormatException(
            $"{where}: ld_imm64 refers to '{symbol.Name}' in section '{target.Name}', which is neither a map nor global data nor code");
    }

    private (int Section, long Instruction) CallTarget(ElfRelocation relocation, int immediate, string where)
    {
        if (relocation.Type is not (ElfRelocation.TypeBpf64_32 or ElfRelocation.TypeBpf64_64))
        {
            throw new ElfFormatException($"{where}: call has relocation type {relocation.Type}");
        }
        ElfSymbol symbol = _elf.Symbol(relocation.SymbolIndex, where);
        if (symbol.SectionIndex == ElfSymbol.SectionUndefined || symbol.SectionIndex >= ElfSymbol.SectionReservedStart
            || !_words.ContainsKey(symbol.SectionIndex))
        {
            throw new ElfFormatException($"{where}: call to '{symbol.Name}', which is not a function in this object");
        }
        if (symbol.Value % 8 != 0)
        {
            throw new ElfFormatException($"{where}: call target '{symbol.Name}' is not on an instruction");
        }
        // libbpf: sub_insn_idx = sym_off / 8 + imm + 1 (imm is -1 for global functions, the offset for static ones).
        return (symbol.SectionIndex, (long)(symbol.Value / 8) + immediate + 1);
    }

    private int Resolve(int section, long instruction, string where, Func<int, Function, int> place)
    {
        ulong[] words = _words[section];
        if (instruction < 0 || instruction >= words.Length)
        {
            throw new ElfFormatException(
                $"{where}: call target {instruction} is outside section '{_elf.Sections[section].Name}'");
        }
        // Functions are sorted by start and do not overlap: binary search for the last one starting at or before.
        List<Function> functions = _functions[section];
        int low = 0, high = functions.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            Function function = functions[middle];
            if (instruction < function.Start)
            {
                high = middle - 1;
            }
            else if (instruction >= function.Start + function.Length)
            {
                low = middle + 1;
            }
            else
            {
                return place(section, function) + (int)(instruction - function.Start);
            }
        }
        throw new ElfFormatException($"{where}: call target {instruction} is not inside any function");
    }

    private static int Immediate(ulong word) => (int)(word >> 32);

    private static ulong WithImmediate(ulong word, int immediate) => (word & 0xffffffffUL) | ((ulong)(uint)immediate << 32);

    private static ulong WithSource(ulong word, byte src) => (word & ~0xf000UL) | ((ulong)src << 12);

    private sealed record Function(string Name, int Start, int Length, bool IsGlobal);
}
