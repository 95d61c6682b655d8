using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;

namespace Sched.Fast.Tests.Tc;

/// <summary>
/// Malformed commands (Tc/Malformed/malformed.txt) print tc's message and exit with tc's status
/// (malformed.expected, made by tc-malformed.py regen on the kernel oracle).
/// </summary>
public sealed class TcMalformedCommandTests
{
    private static readonly string s_dir = Path.Combine(AppContext.BaseDirectory, "Tc", "Malformed");

    public sealed record Case(string[] Setup, string Command, string ExpectedOutput, int ExpectedExit)
    {
        public override string ToString() => Command;
    }

    public static IReadOnlyList<Case> LoadCases()
    {
        var commands = new List<(string[] Setup, string Command)>();
        var setup = new List<string>();
        foreach (string line in File.ReadAllLines(Path.Combine(s_dir, "malformed.txt")))
        {
            if (line.StartsWith("+ ", StringComparison.Ordinal)) setup.Add(line[2..]);
            else if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                commands.Add(([.. setup], line[2..]));
                setup.Clear();
            }
        }

        // malformed.expected: "$ tc COMMAND", output lines, "[rc=N]" (rc may follow output without a newline).
        string expected = File.ReadAllText(Path.Combine(s_dir, "malformed.expected"));
        var cases = new List<Case>();
        int pos = 0;
        foreach (var (caseSetup, command) in commands)
        {
            string header = $"$ tc {command}\n";
            int start = expected.IndexOf(header, pos, StringComparison.Ordinal);
            Assert.True(start >= 0, $"no expected output for \"{command}\"");
            start += header.Length;
            int rc = expected.IndexOf("[rc=", start, StringComparison.Ordinal);
            int rcEnd = expected.IndexOf("]\n", rc, StringComparison.Ordinal);
            cases.Add(new Case(caseSetup, command, expected[start..rc], int.Parse(expected[(rc + 4)..rcEnd])));
            pos = rcEnd + 2;
        }
        return cases;
    }

    public static TheoryData<int> CaseIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < LoadCases().Count; i++) data.Add(i);
        return data;
    }

    [Fact]
    public void There_are_at_least_fifty_cases() => Assert.True(LoadCases().Count >= 50);

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Prints_tcs_message_and_exit_status(int index)
    {
        Case c = LoadCases()[index];
        TcEngine engine = TcOffline.Create();
        foreach (string s in c.Setup) engine.Run(TcTokenizer.Split(s));

        TcRunResult result = engine.Run(TcTokenizer.Split(c.Command));

        Assert.Equal((c.Command, c.ExpectedOutput, c.ExpectedExit), (c.Command, result.Output.Combined, result.ExitCode));
    }
}
