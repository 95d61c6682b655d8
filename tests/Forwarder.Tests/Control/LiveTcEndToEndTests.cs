using Forwarder.Tests.EndToEnd;

namespace Forwarder.Tests.Control;

/// <summary>
/// The whole path as a user runs it: "forwarder bridge f0 f1 --tc FILE --name N" in the namespace lab, then
/// "forwarder tc --instance N ..." against it while ping crosses the bridge: the startup batch is in place, show
/// reports the traffic, and changing the root qdisc under traffic loses no ping.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LiveTcEndToEndTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [RootFact]
    public void A_running_bridge_is_configured_and_changed_with_tc()
    {
        using var lab = new EndToEnd.Lab();
        string runDir = Path.Combine(Path.GetTempPath(), $"{lab.Prefix}run");
        Directory.CreateDirectory(runDir);
        string batch = Path.Combine(runDir, "startup.tc");
        File.WriteAllText(batch, "qdisc add dev f1 root handle 1: pfifo limit 500\nqdisc add dev f0 root handle 2: bfifo limit 100kb\n");
        string name = lab.Prefix.TrimEnd('-');
        try
        {
            using ForwarderProcess fwd = ForwarderProcess.StartProgram(lab.Topology.Fwd, "forwarder: bridging", "env",
                $"FORWARDER_RUN_DIR={runDir}", ForwarderProcess.Binary, "bridge", "f0", "f1", "--stats-interval", "0",
                "--name", name, "--tc", batch);
            fwd.WaitReady(Startup);

            ProcessResult shown = Tc(lab, runDir, name, "qdisc", "show");
            Assert.Equal("qdisc bfifo 2: dev f0 root refcnt 2 limit 100Kb\nqdisc pfifo 1: dev f1 root refcnt 2 limit 500p\n",
                shown.Output);

            using ForwarderProcess ping = ForwarderProcess.StartProgram(lab.Topology.Gen, "\u0000", "ping", "-c", "200",
                "-i", "0.01", "-W", "2", "198.18.0.2");
            for (int i = 0; i < 20; i++)
            {
                ProcessResult change = Tc(lab, runDir, name, "qdisc", "change", "dev", "f1", "root", "pfifo", "limit",
                    i % 2 == 0 ? "10" : "500");
                Assert.True(change.ExitCode == 0, change.All);
            }
            Assert.Equal(0, ping.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Contains("200 received", ping.Output);

            ProcessResult stats = Tc(lab, runDir, name, "-s", "qdisc", "show", "dev", "f1");
            Assert.Matches(@"^qdisc pfifo 1: root refcnt 2 limit (10|500)p\n Sent \d+ bytes ([2-9]\d\d|\d{4,}) pkt \(dropped 0,",
                stats.Output);

            ProcessResult bad = Tc(lab, runDir, name, "qdisc", "add", "dev", "f1", "root", "pfifo");
            Assert.Equal((2, "Error: Exclusivity flag on, cannot modify.\n"), (bad.ExitCode, bad.Error));

            Assert.Equal(0, fwd.Interrupt(TimeSpan.FromSeconds(20)));
            Assert.False(File.Exists(Path.Combine(runDir, name + ".sock")), "the socket outlived the instance");
        }
        finally
        {
            Directory.Delete(runDir, recursive: true);
        }
    }

    [RootFact]
    public void A_failing_startup_batch_stops_the_instance_with_tcs_message()
    {
        using var lab = new EndToEnd.Lab();
        string runDir = Path.Combine(Path.GetTempPath(), $"{lab.Prefix}run");
        Directory.CreateDirectory(runDir);
        string batch = Path.Combine(runDir, "bad.tc");
        File.WriteAllText(batch, "qdisc add dev f1 root pfifo\nqdisc add dev f1 root pfifo limit x\n");
        try
        {
            ProcessResult r = lab.Exec(lab.Topology.Fwd, TimeSpan.FromSeconds(60), "env", $"FORWARDER_RUN_DIR={runDir}",
                ForwarderProcess.Binary, "bridge", "f0", "f1", "--stats-interval", "0", "--tc", batch);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("pfifo: Illegal value for \"limit\": \"x\"", r.All);
            Assert.Contains($"Command failed {batch}:2", r.All);
        }
        finally
        {
            Directory.Delete(runDir, recursive: true);
        }
    }

    private static ProcessResult Tc(EndToEnd.Lab lab, string runDir, string name, params string[] args) =>
        lab.Exec(lab.Topology.Fwd, TimeSpan.FromSeconds(30),
            [.. new[] { "env", $"FORWARDER_RUN_DIR={runDir}", ForwarderProcess.Binary, "tc", "--instance", name }, .. args]);
}
