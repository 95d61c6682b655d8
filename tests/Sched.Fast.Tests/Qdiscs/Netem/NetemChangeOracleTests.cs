using Sched.Fast.Devices;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Netem;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Output;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>
/// netem_change()'s memory against the kernel oracle: Fixtures/oracle-netem-changes.cases ran in order on one netem
/// (Fixtures/make-oracle-netem-changes.sh); options missing from a change keep or lose their values exactly as
/// the kernel's do (correlations, reorder, corruption, rate, slot and ecn survive; delay, loss, duplication and
/// limit do not).
/// </summary>
public sealed class NetemChangeOracleTests
{
    [Fact]
    public void A_sequence_of_changes_leaves_the_options_the_kernel_shows_after_each()
    {
        string[] lines = File.ReadAllLines(NetemTestFiles.Fixture("oracle-netem-changes.txt"));
        var device = new NetDevice("t0", 2);
        var kind = new NetemKind();
        Qdisc? q = null;
        int steps = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("@@@ ", StringComparison.Ordinal)) continue;
            string command = lines[i][(lines[i].IndexOf(' ', 4) + 1)..];
            Assert.Equal("@@rc 0", lines[i + 1]);
            string expectedText = lines[i + 2];
            string expectedJson = lines[i + 3];

            string op = command.Split(' ')[0];
            var spec = (NetemSpec)kind.ParseOptions(TcArgs.Parse(command[op.Length..]), new TcParseContext(device))!;
            if (op == "add") q = kind.Create(spec, new QdiscContext(device, 0x8001_0000, 0xFFFF_FFFF));
            else q!.Change(spec);

            var text = new TcWriter();
            kind.PrintOptions(text, q!.Dump());
            Assert.Equal(expectedText, "qdisc netem 8001: root refcnt 2 " + text);
            var json = new TcWriter(json: true);
            json.OpenObject(null);
            kind.PrintOptions(json, q.Dump());
            json.CloseObject();
            Assert.Contains("\"options\":" + json + "}]", expectedJson);
            steps++;
        }
        Assert.Equal(File.ReadAllLines(NetemTestFiles.Fixture("oracle-netem-changes.cases")).Length, steps);
    }
}
