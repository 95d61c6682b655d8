using System.Globalization;

namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// A delay distribution table (TCA_NETEM_DELAY_DIST / TCA_NETEM_SLOT_DIST): a scaled inverse cumulative distribution
/// function, signed 16-bit values where <see cref="Scale"/> stands for one standard deviation. tc reads it from
/// <c>NAME.dist</c> in its library directory (tc/q_netem.c get_distribution()) and the kernel's tabledist() picks an
/// entry uniformly at random. Immutable; equal when the values are equal.
/// </summary>
public sealed class NetemDistributionTable : IEquatable<NetemDistributionTable>
{
    /// <summary>NETEM_DIST_SCALE: the table value of one standard deviation.</summary>
    public const int Scale = 8192;

    /// <summary>NETEM_DIST_MAX (and tc's MAX_DIST): the most entries a table may have.</summary>
    public const int MaxEntries = 16384;

    /// <summary>Where iproute2 6.1 on Debian amd64 installs the tables (LIBDIR "/tc/"); TC_LIB_DIR overrides it.</summary>
    public const string DefaultLibraryDirectory = "/usr/lib/x86_64-linux-gnu/tc/";

    private readonly short[] _values;

    private NetemDistributionTable(short[] values) => _values = values;

    /// <summary>A table holding a copy of <paramref name="values"/>; 1 to <see cref="MaxEntries"/> of them.</summary>
    public static NetemDistributionTable FromValues(ReadOnlySpan<short> values)
    {
        if (values.Length is 0 or > MaxEntries)
            throw new ArgumentOutOfRangeException(nameof(values), $"a distribution table holds 1 to {MaxEntries} values");
        return new NetemDistributionTable(values.ToArray());
    }

    public int Count => _values.Length;

    public short this[int index] => _values[index];

    public ReadOnlySpan<short> Values => _values;

    /// <summary>get_tc_lib(): the directory tc reads tables from.</summary>
    public static string LibraryDirectory =>
        Environment.GetEnvironmentVariable("TC_LIB_DIR") is { } dir ? dir : DefaultLibraryDirectory;

    /// <summary>
    /// tc's lookup of <c>distribution NAME</c>: the file <c>LIBDIR/NAME.dist</c>. When the file cannot be opened
    /// and NAME is one of iproute2's generated tables (normal, pareto, paretonormal), the built-in copy made by our
    /// port of its generators is used instead, so a machine without iproute2's data files behaves like one with
    /// them. Otherwise the error is tc's ("No distribution data for ...").
    /// </summary>
    public static bool TryLoad(string name, out NetemDistributionTable? table, out string error) =>
        TryLoad(name, LibraryDirectory, out table, out error);

    /// <summary><see cref="TryLoad(string, out NetemDistributionTable?, out string)"/> from <paramref name="directory"/>.</summary>
    public static bool TryLoad(string name, string directory, out NetemDistributionTable? table, out string error)
    {
        string path = $"{directory}/{name}.dist";
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            table = NetemStandardTables.Find(name);
            error = table is null ? $"No distribution data for {name} ({path}: {Strerror(e)})" : "";
            return table is not null;
        }
        return TryParse(text, path, out table, out error);
    }

    /// <summary>
    /// get_distribution()'s parser: lines starting with '#' and empty lines are skipped; every other line is read
    /// as numbers with C's strtol(base 0) up to the first word that is not one, each stored as a 16-bit value (C's
    /// truncating conversion). More than <see cref="MaxEntries"/> values is an error; a file without values gives
    /// tc's silent failure (an empty error message).
    /// </summary>
    public static bool TryParse(string text, string name, out NetemDistributionTable? table, out string error)
    {
        table = null;
        error = "";
        var values = new List<short>(4096);
        foreach (string line in SplitLines(text))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            int pos = 0;
            while (TryStrtol(line, ref pos, out long x))
            {
                if (values.Count >= MaxEntries)
                {
                    error = $"{name}: too much data";
                    return false;
                }
                values.Add(unchecked((short)x));
            }
        }
        if (values.Count == 0) return false;
        table = new NetemDistributionTable([.. values]);
        return true;
    }

    /// <summary>The table in tc's file format (as iproute2's generators print it: eight values a line).</summary>
    public string ToDistFile(string title)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("# This is the distribution table for the ").Append(title).Append(" distribution.\n");
        for (int i = 0; i < _values.Length; i++)
        {
            sb.Append(' ').Append(_values[i].ToString(CultureInfo.InvariantCulture));
            if (i % 8 == 7) sb.Append('\n');
        }
        return sb.ToString();
    }

    private static IEnumerable<string> SplitLines(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            if (nl < 0) { yield return text[start..]; yield break; }
            yield return text[start..nl];
            start = nl + 1;
        }
    }

    /// <summary>C's strtol(p, &amp;end, 0) from <paramref name="pos"/>: false when no number starts there.</summary>
    private static bool TryStrtol(string s, ref int pos, out long value)
    {
        value = 0;
        int i = pos;
        while (i < s.Length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        int radix = 10;
        if (i + 1 < s.Length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
            i + 2 < s.Length && Uri.IsHexDigit(s[i + 2]))
        {
            radix = 16;
            i += 2;
        }
        else if (i < s.Length && s[i] == '0')
        {
            radix = 8;
        }
        int digitsStart = i;
        long v = 0;
        bool overflow = false;
        while (i < s.Length)
        {
            int d = DigitValue(s[i]);
            if (d < 0 || d >= radix) break;
            if (v > (long.MaxValue - d) / radix) overflow = true; else v = v * radix + d;
            i++;
        }
        if (i == digitsStart) return false;
        value = overflow ? (negative ? long.MinValue : long.MaxValue) : (negative ? -v : v);
        pos = i;
        return true;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static string Strerror(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message,
    };

    public bool Equals(NetemDistributionTable? other) =>
        other is not null && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as NetemDistributionTable);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(_values.Length);
        for (int i = 0; i < _values.Length; i += 97) h.Add(_values[i]);
        return h.ToHashCode();
    }

    public override string ToString() => $"netem distribution table ({_values.Length} values)";
}
