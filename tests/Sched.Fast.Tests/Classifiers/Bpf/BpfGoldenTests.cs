using System.Text.RegularExpressions;
using Sched.Fast.Devices;
using Sched.Fast.Tc;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Classifiers.Bpf;

/// <summary>
/// bpf filters and actions through the tc engine against the kernel oracle (Debian's 6.1 kernel with iproute2 6.1,
/// Golden/oracle-6.1.golden, made by Golden/regen.sh): the same lines print the same, tags included (6.1's SHA-1).
/// Program ids are the kernel's global counter there and ours here, so both are written as "id N".
/// </summary>
public sealed partial class BpfGoldenTests
{
    [Fact]
    public void Filter_and_action_show_match_the_kernel_oracle()
    {
        string golden = File.ReadAllText(Path.Combine(Golden(), "oracle-6.1.golden"));
        string[] batch = File.ReadAllLines(Path.Combine(Golden(), "tags.tc"));
        var output = new System.Text.StringBuilder("(batch exit 0)\n");
        foreach (string show in (string[])["filter show dev t0 ingress", "filter show dev t0 egress", "actions list action bpf"])
        {
            var engine = new TcEngine(new DeviceTable(), new ManualClock(new TimeNs(TimeNs.NsPerSecond))) { CreateDevicesOnMention = true };
            foreach (string line in batch)
            {
                string resolved = Regex.Replace(line, @"obj (\w+)\.o", m => $"obj {BpfFixtures.Object(m.Groups[1].Value)}");
                TcRunResult r = engine.Run(TcTokenizer.Split(resolved));
                Assert.True(r.ExitCode == 0, $"{line}: {r.Output.Combined}");
            }
            output.Append($"\n$ tc {show}\n").Append(engine.Run(TcTokenizer.Split(show)).Output.Combined);
        }
        Assert.Equal(Normalize(golden), Normalize(output.ToString()));
    }

    private static string Normalize(string text) => Ids().Replace(text, "id N");

    [GeneratedRegex(@"id \d+")]
    private static partial Regex Ids();

    private static string Golden([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.Combine(Path.GetDirectoryName(file)!, "Golden");
}
