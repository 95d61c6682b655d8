using System.Text;
using System.Text.RegularExpressions;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;

namespace Sched.Fast.Tests.Tc;

/// <summary>
/// The differential campaign (Tc/Differential): every case of every NAME.cases, run command by command through a
/// fresh offline engine, must print what the kernel's tc printed for it (NAME.expected, made by tc-diff.py regen on
/// the kernel oracle), output and exit status, after the normalisations of <see cref="Normalise"/>.
/// </summary>
public sealed partial class TcDifferentialTests
{
    private static readonly string s_dir = Path.Combine(AppContext.BaseDirectory, "Tc", "Differential");

    public sealed record Case(string File, string Name, string[] Commands, string Expected)
    {
        public override string ToString() => $"{File}/{Name}";
    }

    private static readonly Lazy<Dictionary<string, Case>> s_cases = new(Load);

    private static Dictionary<string, Case> Load()
    {
        var all = new Dictionary<string, Case>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFiles(s_dir, "*.cases").Order(StringComparer.Ordinal))
        {
            string file = Path.GetFileNameWithoutExtension(path);
            string expectedPath = Path.Combine(s_dir, file + ".expected");
            if (!File.Exists(expectedPath)) continue;
            var commands = new List<(string Name, List<string> Commands)>();
            foreach (string line in File.ReadAllLines(path))
            {
                if (line.StartsWith("=== ", StringComparison.Ordinal)) commands.Add((line[4..], []));
                else if (line.StartsWith("$ ", StringComparison.Ordinal)) commands[^1].Commands.Add(line[2..]);
            }
            // NAME.expected: "=== NAME" starts each case's block (it may hold cases gen.py no longer makes).
            string expected = File.ReadAllText(expectedPath);
            for (int i = 0; i < commands.Count; i++)
            {
                string header = $"=== {commands[i].Name}\n";
                int start = expected.IndexOf(header, StringComparison.Ordinal);
                Assert.True(start >= 0, $"{file}: no expected output for case {commands[i].Name}");
                start += header.Length;
                int end = expected.IndexOf("\n=== ", start - 1, StringComparison.Ordinal);
                end = end < 0 ? expected.Length : end + 1;
                all.Add($"{file}/{commands[i].Name}",
                    new Case(file, commands[i].Name, [.. commands[i].Commands], expected[start..end]));
            }
        }
        return all;
    }

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in s_cases.Value.Keys) data.Add(name);
        return data;
    }

    [Fact]
    public void There_are_cases() => Assert.True(s_cases.Value.Count >= 400);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Offline_tc_answers_as_the_kernels(string name)
    {
        Case c = s_cases.Value[name];
        string actual = Run(c.Commands);

        string want = Normalise(c.Expected), got = Normalise(actual);
        if (want != got) Assert.Fail($"{name}: offline differs from the kernel\n{FirstDifference(want, got)}");
    }

    /// <summary>The case in the oracle's layout: per command "$ tc WORDS", its output, "[rc=N]".</summary>
    public static string Run(IEnumerable<string> commands)
    {
        TcEngine engine = TcOffline.Create();
        var sb = new StringBuilder();
        foreach (string command in commands)
        {
            sb.Append("$ tc ").Append(command).Append('\n');
            TcRunResult r = engine.Run(TcTokenizer.Split(command));
            sb.Append(r.Output.Combined).Append("[rc=").Append(r.ExitCode).Append("]\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// What cannot match and is blanked on both sides (README.md lists why): kernel console lines ("[ 12.345] ..."),
    /// the seconds of an action's installed/used/firstused times (wall clock of the VM), and automatic qdisc handles
    /// (8xxx:, and [8xxx0000] under -r), which the kernel draws from one counter for the whole boot (sch_api.c qdisc_alloc_handle()) while
    /// the offline engine starts afresh per case: they are renamed in order of first appearance.
    /// </summary>
    public static string Normalise(string text)
    {
        text = ConsoleLine().Replace(text, "");
        var autoHandles = new Dictionary<string, string>(StringComparer.Ordinal);
        text = AutoHandle().Replace(text, m =>
        {
            string major = m.Groups["q"].Success ? m.Groups["q"].Value : m.Groups["r"].Value;
            if (!autoHandles.TryGetValue(major, out string? renamed))
            {
                renamed = $"auto{autoHandles.Count + 1}";
                autoHandles.Add(major, renamed);
            }
            return m.Groups["q"].Success ? renamed + ":" : $"[{renamed}]";
        });
        text = ActionTimes().Replace(text, "${k} N sec");
        text = ActionTimesJson().Replace(text, "\"${k}\":N");
        return text;
    }

    private static string FirstDifference(string want, string got)
    {
        string[] a = want.Split('\n'), b = got.Split('\n');
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        var sb = new StringBuilder();
        for (int j = Math.Max(0, i - 3); j < i; j++) sb.Append("  ").Append(a[j]).Append('\n');
        for (int j = i; j < Math.Min(a.Length, i + 6); j++) sb.Append("- ").Append(a[j]).Append('\n');
        for (int j = i; j < Math.Min(b.Length, i + 6); j++) sb.Append("+ ").Append(b[j]).Append('\n');
        return sb.ToString();
    }

    [GeneratedRegex(@"^\[ *\d+\.\d+\] .*\n", RegexOptions.Multiline)]
    private static partial Regex ConsoleLine();

    // "8015:" in handles and parents, "[80150000]" in -r (raw) output
    [GeneratedRegex(@"\b(?<q>8[0-9a-f]{3}):|\[(?<r>8[0-9a-f]{3})0000\]")]
    private static partial Regex AutoHandle();

    [GeneratedRegex(@"(?<k>installed|used|firstused) \d+ sec")]
    private static partial Regex ActionTimes();

    [GeneratedRegex(@"""(?<k>installed|last_used|first_used|expires)"":\d+")]
    private static partial Regex ActionTimesJson();
}
