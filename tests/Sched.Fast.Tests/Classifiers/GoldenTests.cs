using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Sched.Fast.Tests.Classifiers.Support;

namespace Sched.Fast.Tests.Classifiers;

/// <summary>
/// The golden files of Golden/: each NAME.cmds is a list of tc commands run one by one (each its own tc process)
/// through a real kernel and iproute2 6.1 by Golden/regen.sh, which recorded NAME.out (exit code, stdout, stderr of
/// every command). The same commands run here must print the same, byte for byte; only action ages
/// ("installed N sec") are normalised, as they depend on how fast the machine ran the commands.
/// </summary>
public sealed partial class GoldenTests
{
    public static TheoryData<string> Names => new()
    {
        "u32-basic", "u32-hash", "actions", "chains", "matchall", "basic", "filter-errors", "show-flags",
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Output_matches_the_kernel_and_iproute2(string name)
    {
        string dir = GoldenDir();
        string[] commands = File.ReadAllLines(Path.Combine(dir, name + ".cmds"))
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .ToArray();
        string expected = Normalise(File.ReadAllText(Path.Combine(dir, name + ".out")));
        string actual = Normalise(Run(commands));
        Directory.CreateDirectory("/tmp/tcf-actual");
        File.WriteAllText($"/tmp/tcf-actual/{name}.out", actual);
        if (expected == actual) return;

        string[] exp = SplitCommands(expected), act = SplitCommands(actual);
        for (int i = 0; i < Math.Max(exp.Length, act.Length); i++)
        {
            string e = i < exp.Length ? exp[i] : "(missing)";
            string a = i < act.Length ? act[i] : "(missing)";
            if (e != a)
            {
                string cmd = i < commands.Length ? commands[i] : "?";
                Assert.Fail($"{name} command {i + 1}: tc {cmd}\n--- expected\n{e}\n--- actual\n{a}");
            }
        }
    }

    private static string Run(string[] commands)
    {
        var harness = new TcHarness();
        var sb = new StringBuilder();
        for (int i = 0; i < commands.Length; i++)
        {
            TcResult r = harness.Run(commands[i]);
            sb.Append($"### {i + 1} rc={r.ExitCode}\n").Append(r.Stdout).Append("<<<\n").Append(r.Stderr).Append("<<<\n");
        }
        return sb.ToString();
    }

    private static string[] SplitCommands(string text) => text.Split("### ").Skip(1).ToArray();

    private static string Normalise(string text)
    {
        text = text.Replace("\r", "");
        text = Ages().Replace(text, m => m.Groups[1].Value + "N" + m.Groups[2].Value);
        return JsonAges().Replace(text, m => m.Groups[1].Value + "N");
    }

    [GeneratedRegex(@"( (?:installed|used|firstused|expires) )\d+( sec)")]
    private static partial Regex Ages();

    [GeneratedRegex(@"(""(?:installed|last_used|first_used|expires)"":)\d+")]
    private static partial Regex JsonAges();

    private static string GoldenDir([CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "Golden");
}
