namespace Bpf.Native.Elf;

/// <summary>
/// Everything a BPF object file defines, parsed and checked: programs, maps, license. Pure data, compared by
/// value. Start here: <see cref="Load(string)"/> or <see cref="Parse(ReadOnlyMemory{byte})"/>; any problem with
/// the file is an <see cref="ElfFormatException"/>.
/// </summary>
public sealed record ObjectSpec
{
    /// <summary>Section names tc looks in by default (iproute2 lib/bpf_legacy.c), plus tcx/* for tcx-style objects.</summary>
    public static readonly IReadOnlyList<string> TcSectionNames = ["classifier", "classify", "action", "tc"];

    public required EquatableArray<ProgramSpec> Programs { get; init; }

    /// <summary>Maps in definition order: legacy <c>maps</c> entries by offset, then BTF <c>.maps</c>, then data sections.</summary>
    public required EquatableArray<MapSpec> Maps { get; init; }

    /// <summary>The license section's string ("" when the object has none).</summary>
    public required string License { get; init; }

    /// <summary>The legacy <c>version</c> section (0 when absent).</summary>
    public uint KernelVersion { get; init; }

    public static ObjectSpec Load(string path) => Parse(File.ReadAllBytes(path));

    public static ObjectSpec Parse(ReadOnlyMemory<byte> image) => new ObjectParser(ElfReader.Parse(image)).Parse();

    /// <summary>Parses, or returns false with the reason (for fuzzing and CLIs that print errors).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> image, out ObjectSpec? spec, out string? error)
    {
        try
        {
            spec = Parse(image);
            error = null;
            return true;
        }
        catch (ElfFormatException e)
        {
            spec = null;
            error = e.Message;
            return false;
        }
    }

    public MapSpec? FindMap(string name)
    {
        foreach (MapSpec map in Maps)
        {
            if (map.Name == name)
            {
                return map;
            }
        }
        return null;
    }

    /// <summary>The program named <paramref name="name"/> (its function symbol, or its section for one-program sections).</summary>
    public ProgramSpec? FindProgram(string name)
    {
        foreach (ProgramSpec program in Programs)
        {
            if (program.Name == name)
            {
                return program;
            }
        }
        return null;
    }

    /// <summary>The first program in section <paramref name="section"/>, as tc's <c>sec NAME</c> selects it.</summary>
    public ProgramSpec? FindProgramBySection(string section)
    {
        foreach (ProgramSpec program in Programs)
        {
            if (program.SectionName == section)
            {
                return program;
            }
        }
        return null;
    }

    /// <summary>
    /// The program tc would pick without <c>sec</c>: the first in one of <see cref="TcSectionNames"/> or tcx/*.
    /// </summary>
    public ProgramSpec? FindDefaultTcProgram()
    {
        foreach (string section in TcSectionNames)
        {
            if (FindProgramBySection(section) is { } program)
            {
                return program;
            }
        }
        foreach (ProgramSpec program in Programs)
        {
            if (program.SectionName.StartsWith("tcx/", StringComparison.Ordinal))
            {
                return program;
            }
        }
        return null;
    }
}
