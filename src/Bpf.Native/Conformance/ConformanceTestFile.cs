using System.Globalization;
using Bpf.Native.Isa;

namespace Bpf.Native.Conformance;

/// <summary>
/// One test of the bpf_conformance suite (a .data file): sections "-- asm" (assembly in the suite's syntax),
/// "-- mem" (hex bytes, possibly over several lines), "-- result" (r0, 0x hex or decimal), "-- error" (the
/// expected error text), "-- raw" (64-bit instruction words); "-- c" and "-- no register offset" are ignored.
/// "#" starts a comment outside the "-- c" section.
/// </summary>
public sealed class ConformanceTestFile
{
    private ConformanceTestFile(string name, string assembly, byte[] memory, ulong? expectedResult, string? expectedError, ulong[]? raw)
    {
        Name = name;
        Assembly = assembly;
        Memory = memory;
        ExpectedResult = expectedResult;
        ExpectedError = expectedError;
        Raw = raw;
    }

    public string Name { get; }

    /// <summary>The "-- asm" section as written.</summary>
    public string Assembly { get; }

    public byte[] Memory { get; }

    public ulong? ExpectedResult { get; }

    public string? ExpectedError { get; }

    /// <summary>The "-- raw" words, when the test gives them.</summary>
    public IReadOnlyList<ulong>? Raw { get; }

    /// <summary>The program: assembled from "-- asm", or the "-- raw" words when there is no assembly.</summary>
    public byte[] Bytecode()
    {
        if (Assembly.Trim().Length > 0)
        {
            return Assembler.AssembleToBytes(Assembly);
        }
        var bytes = new byte[(Raw?.Count ?? 0) * 8];
        for (int i = 0; i < (Raw?.Count ?? 0); i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8, 8), Raw![i]);
        }
        return bytes;
    }

    public static ConformanceTestFile Load(string path) =>
        Parse(Path.GetFileName(path), File.ReadAllText(path));

    public static ConformanceTestFile Parse(string name, string text)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (string rawLine in text.Replace("\r", "").Split('\n'))
        {
            if (rawLine.StartsWith("-- ", StringComparison.Ordinal))
            {
                current = new List<string>();
                sections[rawLine[3..].Trim()] = current;
                continue;
            }
            current?.Add(rawLine);
        }

        string Section(string key) => sections.TryGetValue(key, out var lines) ? string.Join('\n', lines) : "";
        string WithoutComments(string key) => string.Join('\n', Section(key).Split('\n').Select(l =>
        {
            int hash = l.IndexOf('#');
            return hash >= 0 ? l[..hash] : l;
        }));

        byte[] memory = WithoutComments("mem")
            .Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(b => byte.Parse(b, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))
            .ToArray();

        string resultText = WithoutComments("result").Trim();
        ulong? result = resultText.Length == 0 ? null : ParseResult(resultText);

        string errorText = Section("error").Trim();
        string? error = errorText.Length == 0 ? null : errorText;

        ulong[]? raw = null;
        string rawText = WithoutComments("raw").Trim();
        if (rawText.Length > 0)
        {
            raw = rawText.Split(['\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                .Select(w => ulong.Parse(w.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? w[2..] : w,
                    NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))
                .ToArray();
        }

        return new ConformanceTestFile(name, Section("asm"), memory, result, error, raw);
    }

    private static ulong ParseResult(string text) => text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        ? ulong.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
        : unchecked((ulong)long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
}
