using System.Text.RegularExpressions;
using Forwarder.Tests.EndToEnd;

namespace Forwarder.Tests.Bpf;

/// <summary>
/// A direct-action program at f0's ingress (clsact) steering traffic with bpf_redirect(), set live from another
/// process through its pinned maps: until "target" names a device the program drops everything (ping fails); after
/// <c>forwarder bpf map update PIN/tc/globals/target ...</c> names f1, the ingress hook delivers each frame to f1 as
/// skb_do_redirect() does (ping works, one copy per frame), and <c>forwarder bpf map dump</c> reads the count the
/// program keeps. Pins go under a private $TC_BPF_MNT.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class IngressRedirectLabTests
{
    [RootFact]
    public void A_redirect_target_set_from_another_process_steers_the_traffic()
    {
        using var lab = new EndToEnd.Lab();
        string name = lab.Prefix + "fwd";
        string pins = Path.Combine(Path.GetTempPath(), name + "-pins");
        string file = Path.Combine(Path.GetTempPath(), $"{name}.tc");
        File.WriteAllText(file,
            "qdisc add dev f0 clsact\n" +
            $"filter add dev f0 ingress bpf obj {BpfFixtureObjects.Path("redirect.o")} da\n");
        try
        {
            using ForwarderProcess fwd = ForwarderProcess.StartProgram(lab.Topology.Fwd, "forwarder: bridging", "env",
                $"TC_BPF_MNT={pins}", ForwarderProcess.Binary, "bridge", "f0", "f1", "--stats-interval", "0", "--name", name, "--tc", file);
            fwd.WaitReady(TimeSpan.FromSeconds(60));

            ProcessResult dropped = lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(30), "ping", "-c", "2", "-w", "3", LabSink);
            Assert.NotEqual(0, dropped.ExitCode);

            string globals = Path.Combine(pins, "tc", "globals");
            int f1 = IfIndex(lab, "f1");
            ProcessResult update = ForwarderProcess.Run(null, TimeSpan.FromSeconds(30), "bpf", "map", "update",
                Path.Combine(globals, "target"), "key", "0", "0", "0", "0", "value",
                (f1 & 0xff).ToString(), (f1 >> 8 & 0xff).ToString(), "0", "0");
            Assert.True(update.ExitCode == 0, update.All);

            ProcessResult ping = lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(30), "ping", "-c", "3", "-i", "0.2", "-w", "10", LabSink);
            Assert.True(ping.ExitCode == 0, ping.All + "\n" + fwd.Output);
            Assert.Contains(" 0% packet loss", ping.Output);

            ProcessResult dump = ForwarderProcess.Run(null, TimeSpan.FromSeconds(30), "bpf", "map", "dump", Path.Combine(globals, "seen"));
            Match m = SeenCount().Match(dump.Output);
            Assert.True(m.Success, dump.All);
            byte[] bytes = m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(b => Convert.ToByte(b, 16)).ToArray();
            Assert.True(BitConverter.ToUInt64(bytes) >= 5, dump.Output); // 2 dropped + 3 redirected echo requests at least
            Assert.Equal(0, fwd.Interrupt(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }
    }

    private const string LabSink = Forwarder.Lab.LabTopology.SinkAddress;

    private static int IfIndex(EndToEnd.Lab lab, string device)
    {
        ProcessResult link = lab.Ip("-n", lab.Topology.Fwd, "-o", "link", "show", device);
        return int.Parse(link.Output[..link.Output.IndexOf(':')]);
    }

    /// <summary>"key: 00 00 00 00  value: 05 00 00 00 00 00 00 00": the count's little-endian bytes.</summary>
    [GeneratedRegex(@"value: ([0-9a-f ]+)")]
    private static partial Regex SeenCount();
}
