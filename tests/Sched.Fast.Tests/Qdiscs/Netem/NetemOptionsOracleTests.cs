using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Netem;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>
/// Both halves of tc against the kernel oracle: each case of Fixtures/oracle-netem-options.cases was added as a
/// fresh root netem on Linux 6.1 with iproute2 6.1 (Fixtures/make-oracle-netem-options.sh); here the same words go
/// through our parser, the kernel half (create, then dump) and the printer, and must give tc's text and JSON
/// character for character, or tc's error.
/// </summary>
public sealed class NetemOptionsOracleTests
{
    private sealed record OracleCase(int Index, string Args, int ExitCode, string Output, string Text, string Json);

    private static readonly Lazy<IReadOnlyList<OracleCase>> s_cases = new(Load);

    public static TheoryData<int> CaseIndexes()
    {
        var data = new TheoryData<int>();
        foreach (OracleCase c in s_cases.Value) data.Add(c.Index);
        return data;
    }

    private static IReadOnlyList<OracleCase> Load()
    {
        string[] lines = File.ReadAllLines(NetemTestFiles.Fixture("oracle-netem-options.txt"));
        var cases = new List<OracleCase>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("@@@ ", StringComparison.Ordinal)) continue;
            string header = lines[i][4..];
            int space = header.IndexOf(' ');
            int index = int.Parse(space < 0 ? header : header[..space], System.Globalization.CultureInfo.InvariantCulture);
            string args = space < 0 ? "" : header[(space + 1)..];
            var output = new List<string>();
            int j = i + 1;
            for (; !lines[j].StartsWith("@@rc ", StringComparison.Ordinal); j++) output.Add(lines[j]);
            int rc = int.Parse(lines[j][5..], System.Globalization.CultureInfo.InvariantCulture);
            string text = lines[j + 1];
            string json = lines[j + 2];
            cases.Add(new OracleCase(index, args, rc, string.Join('\n', output), text, json));
            i = j + 2;
        }
        return cases;
    }

    private static NetemSpec Parse(string args) =>
        (NetemSpec)new NetemKind().ParseOptions(TcArgs.Parse(args), new TcParseContext(new NetDevice("t0", 2)))!;

    private static QdiscSpec CreateAndDump(NetemSpec spec)
    {
        var device = new NetDevice("t0", 2);
        Qdisc q = new NetemKind().Create(spec, new QdiscContext(device, 0x8001_0000, 0xFFFF_FFFF));
        return q.Dump();
    }

    private static string PrintText(QdiscSpec dumped)
    {
        var w = new TcWriter();
        new NetemKind().PrintOptions(w, dumped);
        return w.ToString();
    }

    private static string PrintJson(QdiscSpec dumped)
    {
        var w = new TcWriter(json: true);
        w.OpenObject(null);
        new NetemKind().PrintOptions(w, dumped);
        w.CloseObject();
        return w.ToString();
    }

    /// <summary>The "options" object of a tc -j qdisc show line.</summary>
    private static string OptionsOf(string json)
    {
        int start = json.IndexOf("\"options\":", StringComparison.Ordinal) + "\"options\":".Length;
        int depth = 0;
        for (int i = start; i < json.Length; i++)
        {
            if (json[i] == '{') depth++;
            else if (json[i] == '}' && --depth == 0) return json[start..(i + 1)];
        }
        throw new FormatException(json);
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Parse_create_dump_and_print_give_what_tc_prints_on_linux(int index)
    {
        OracleCase c = s_cases.Value.Single(x => x.Index == index);
        if (c.ExitCode != 0)
        {
            var e = Assert.Throws<TcException>(() => Parse(c.Args));
            Assert.Equal(c.Output, e.Message);
            Assert.Equal(c.ExitCode, e.ExitCode);
            return;
        }
        Assert.Equal("", c.Output);
        QdiscSpec dumped = CreateAndDump(Parse(c.Args));
        string prefix = c.Text[..(c.Text.IndexOf("refcnt 2 ", StringComparison.Ordinal) + "refcnt 2 ".Length)];
        Assert.Equal(c.Text, prefix + PrintText(dumped));
        Assert.Equal(OptionsOf(c.Json), PrintJson(dumped));
    }

    [Fact]
    public void The_fixture_holds_every_case()
    {
        int cases = File.ReadAllLines(NetemTestFiles.Fixture("oracle-netem-options.cases")).Length;
        Assert.Equal(cases, s_cases.Value.Count);
    }
}
