using System.Collections.Immutable;
using System.Globalization;
using Bpf.Native.Elf;
using Bpf.Native.Helpers;
using Bpf.Native.Helpers.Tc;
using Bpf.Native.Isa;
using Bpf.Native.Loader;
using Bpf.Native.Maps;
using Bpf.Native.Programs.Classic;
using Bpf.Native.Verifier;

namespace Bpf.Native.Programs;

/// <summary>
/// Loads tc programs the way tc does: from an object file by section (iproute2 lib/bpf_libbpf.c load_bpf_object():
/// its maps created or taken from their pins, the programs of tc's legacy tail-call sections "MAP_ID/KEY" and of
/// BTF prog_array initialisers loaded into their arrays) or from classic bytecode (cls_bpf's bpf_prog_create()).
/// Each program is relocated, tagged as the kernel tags it, verified, has its context accesses rewritten for the
/// host (<see cref="ContextRewriter"/>), and is prepared for the chosen engine.
/// </summary>
public static class TcProgramLoader
{
    /// <summary>bpf_object's program name limit (BPF_OBJ_NAME_LEN - 1).</summary>
    public const int MaxNameLength = 15;

    /// <summary>Loads the program of <paramref name="section"/> from an object file's bytes.</summary>
    /// <exception cref="ElfFormatException">The object is malformed.</exception>
    /// <exception cref="ProgramLoadException">The section is missing, or a map cannot be made or opened.</exception>
    /// <exception cref="VerifierException">The verifier rejects a program.</exception>
    public static LoadedProgram LoadObject(ReadOnlyMemory<byte> objectFile, string section, TcLoadOptions options) =>
        LoadObject(objectFile, section, programName: null, options);

    /// <summary>
    /// Loads a program from an object file's bytes: the one named <paramref name="programName"/> when given (tc's
    /// "program NAME"), else the first of <paramref name="section"/>.
    /// </summary>
    public static LoadedProgram LoadObject(ReadOnlyMemory<byte> objectFile, string section, string? programName, TcLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        ObjectSpec spec = ObjectSpec.Parse(objectFile);
        if (options.PinEveryMap)
        {
            spec = spec with
            {
                Maps = new EquatableArray<MapSpec>(spec.Maps.Select(m => m.Pinning == MapPinning.None ? m with { Pinning = MapPinning.ByName } : m).ToImmutableArray()),
            };
        }
        ProgramSpec main = (programName is not null ? spec.FindProgram(programName) : spec.FindProgramBySection(section))
            ?? throw new ProgramLoadException(programName is not null
                ? $"object file doesn't contain prog {programName}"
                : $"object file doesn't contain sec {section}");
        MapCollection maps;
        try
        {
            maps = MapCollection.Create(spec, options.Pins, MapPinStore.ObjectNamespaceOf(objectFile.Span));
        }
        catch (Exception e) when (e is MapFormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new ProgramLoadException($"map creation failed: {e.Message}");
        }
        try
        {
            HelperTable helpers = options.Helpers ?? TcHelpers.CreateTable();
            var loaded = new Dictionary<string, LoadedProgram>(StringComparer.Ordinal);
            LoadedProgram Load(ProgramSpec program)
            {
                if (!loaded.TryGetValue(program.Name, out LoadedProgram? result))
                {
                    result = Translate(program, maps, helpers, options);
                    loaded[program.Name] = result;
                }
                return result;
            }
            LoadedProgram entry = Load(main);
            FillLegacyTailCalls(spec, maps, Load, entry);
            FillProgramArrays(spec, maps, Load, entry);
            return entry;
        }
        catch
        {
            maps.Dispose();
            throw;
        }
    }

    /// <summary>Loads a classic program (tc's "bytecode"): checked, converted to eBPF, rewritten for the host.</summary>
    /// <exception cref="ClassicProgramException">The kernel would refuse it (EINVAL).</exception>
    public static LoadedProgram LoadClassic(IReadOnlyList<ClassicInstruction> program, TcLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ClassicConversion conversion = ClassicConverter.Convert(program);
        Instruction[] rewritten = ContextRewriter.Rewrite(conversion.Instructions, conversion.ContextAccesses, options.Context);
        HelperTable helpers = options.Helpers ?? TcHelpers.CreateTable();
        VerifiedProgram verified = StructuralVerifier.Verify(rewritten, helpers);
        var engine = ProgramLoader.Load(verified, options.Engine);
        return new LoadedProgram(engine, "", options.ProgramType.Name, null, 0, conversion.Instructions, rewritten, null, "");
    }

    /// <summary>Relocates, tags, verifies, rewrites and prepares one program of the object.</summary>
    private static LoadedProgram Translate(ProgramSpec program, MapCollection maps, HelperTable helpers, TcLoadOptions options)
    {
        byte[] typed;
        try
        {
            typed = MapRelocator.ApplyToBytes(program, maps.Maps, keepPseudoSource: true);
        }
        catch (InvalidOperationException e)
        {
            throw new ProgramLoadException(e.Message);
        }
        byte[] tag = ProgramTag.Compute(typed);
        Instruction[] instructions;
        try
        {
            instructions = Decoder.Decode(typed);
        }
        catch (InstructionFormatException e)
        {
            throw new VerifierException(e.Slot, e.Reason);
        }
        VerifiedProgram checkedProgram = ProgramVerifier.Verify(instructions, new VerifierOptions
        {
            ProgramType = options.ProgramType,
            Helpers = helpers,
            GplCompatible = ObjectLicense.IsGplCompatible(program.License),
            LogLevel = options.VerifierLogLevel,
        });
        var accesses = new List<ContextAccess>();
        for (int i = 0; i < instructions.Length; i++)
        {
            InstructionAux aux = checkedProgram.Aux(i);
            if (aux.IsContextAccess)
            {
                accesses.Add(new ContextAccess(i, aux.ContextOffsetBytes, aux.AccessSizeBytes, aux.AccessKind == ContextAccessKind.Write));
            }
        }
        Instruction[] rewritten = ContextRewriter.Rewrite(instructions, accesses, options.Context);
        // Map references stay resolved constants; the engines load the immediate whatever the pseudo source.
        for (int i = 0; i < rewritten.Length; i++)
        {
            if (rewritten[i].Operation == Operation.LoadImm64 && rewritten[i].ImmediateKind is LoadImmediateKind.MapFd or LoadImmediateKind.MapValue)
            {
                rewritten[i] = rewritten[i] with { ImmediateKind = LoadImmediateKind.Value };
            }
        }
        VerifiedProgram verified = StructuralVerifier.Verify(rewritten, helpers);
        var engine = ProgramLoader.Load(verified, options.Engine);
        string name = program.Name.Length > MaxNameLength ? program.Name[..MaxNameLength] : program.Name;
        return new LoadedProgram(engine, name, options.ProgramType.Name, tag, ProgramIds.Next(), instructions, rewritten, maps,
            program.License) { VerifierLog = checkedProgram.Log };
    }

    /// <summary>
    /// iproute2's legacy tail calls: a program in section "ID/KEY" goes into slot KEY of the prog_array whose
    /// struct bpf_elf_map id is ID (lib/bpf_libbpf.c find_legacy_tail_calls(), update_legacy_tail_call_maps()).
    /// </summary>
    private static void FillLegacyTailCalls(ObjectSpec spec, MapCollection maps, Func<ProgramSpec, LoadedProgram> load, LoadedProgram entry)
    {
        foreach (ProgramSpec program in spec.Programs)
        {
            if (!TryParseTailCallSection(program.SectionName, out uint mapId, out uint key))
            {
                continue;
            }
            MapSpec? target = null;
            foreach (MapSpec map in spec.Maps)
            {
                if (map.LegacyId == mapId && map.Source == MapSource.LegacyMapsSection)
                {
                    target = map;
                    break;
                }
            }
            if (target is null)
            {
                throw new ProgramLoadException($"unable to find map id {mapId} for tail call");
            }
            if (maps[target.Name] is not ProgArrayMap array)
            {
                throw new ProgramLoadException($"map {target.Name} of tail call section {program.SectionName} is not a prog array");
            }
            LoadedProgram callee = load(program);
            if (array.SetProgram(key, callee.Program) != 0)
            {
                throw new ProgramLoadException("Cannot update map key for tail call!");
            }
            if (callee != entry)
            {
                entry.AddTailCallTarget(callee);
            }
        }
    }

    /// <summary>libbpf's prog_array initialisers: <c>.values = { [2] = &amp;prog }</c> in a BTF map.</summary>
    private static void FillProgramArrays(ObjectSpec spec, MapCollection maps, Func<ProgramSpec, LoadedProgram> load, LoadedProgram entry)
    {
        foreach (MapSpec map in spec.Maps)
        {
            if (map.Type != BpfMapType.ProgArray || map.InitialValues.Count == 0)
            {
                continue;
            }
            var array = (ProgArrayMap)maps[map.Name];
            foreach (MapInitialValue slot in map.InitialValues)
            {
                ProgramSpec program = spec.FindProgram(slot.TargetName)
                    ?? throw new ProgramLoadException($"map '{map.Name}' slot {slot.Index} names program '{slot.TargetName}', which the object lacks");
                LoadedProgram callee = load(program);
                if (array.SetProgram(slot.Index, callee.Program) != 0)
                {
                    throw new ProgramLoadException($"map '{map.Name}': slot {slot.Index} is past its {array.MaxEntries} entries");
                }
                if (callee != entry)
                {
                    entry.AddTailCallTarget(callee);
                }
            }
        }
    }

    /// <summary>sscanf(section, "%i/%i"): two C integers (decimal, 0x hex, 0 octal) around a slash.</summary>
    internal static bool TryParseTailCallSection(string section, out uint mapId, out uint key)
    {
        mapId = key = 0;
        int slash = section.IndexOf('/');
        return slash > 0 && TryParseCInteger(section[..slash], out mapId, wholeWord: true)
            && TryParseCInteger(section[(slash + 1)..], out key, wholeWord: false);
    }

    private static bool TryParseCInteger(string text, out uint value, bool wholeWord)
    {
        value = 0;
        string digits = text.TrimStart();
        int numberBase = 10;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            numberBase = 16;
            digits = digits[2..];
        }
        else if (digits.Length > 1 && digits[0] == '0')
        {
            numberBase = 8;
            digits = digits[1..];
        }
        int length = 0;
        while (length < digits.Length && Uri.IsHexDigit(digits[length])
               && int.Parse(digits[length].ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) < numberBase)
        {
            length++;
        }
        if (length == 0 || (wholeWord && length != digits.Length))
        {
            return false;
        }
        ulong result = 0;
        foreach (char c in digits[..length])
        {
            result = result * (ulong)numberBase + (ulong)int.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (result > uint.MaxValue)
            {
                result = uint.MaxValue;
            }
        }
        value = (uint)result;
        return true;
    }
}
