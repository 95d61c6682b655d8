namespace Forwarder.Tests.EndToEnd;

/// <summary>What a user sees when a forwarding command cannot start: a clear message and a non-zero exit.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class CliErrorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Help_is_available_on_every_command()
    {
        foreach (string[] args in new[] { new[] { "--help" }, ["run", "--help"], ["bridge", "--help"], ["lab", "--help"],
                     ["lab", "up", "--help"], ["lab", "down", "--help"], ["lab", "demo", "--help"] })
        {
            ProcessResult r = ForwarderProcess.Run(null, Timeout, args);
            Assert.True(r.ExitCode == 0, string.Join(' ', args) + ": " + r.All);
            Assert.Contains("Usage:", r.Output);
        }
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        ProcessResult missing = ForwarderProcess.Run(null, Timeout, "run", "--in", "f0");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("--out", missing.All);
        ProcessResult io = ForwarderProcess.Run(null, Timeout, "run", "--in", "a", "--out", "b", "--io", "dpdk");
        Assert.NotEqual(0, io.ExitCode);
        Assert.Contains("--io must be mmap or pcap, not 'dpdk'", io.All);
        ProcessResult interval = ForwarderProcess.Run(null, Timeout, "bridge", "a", "b", "--stats-interval", "-1");
        Assert.NotEqual(0, interval.ExitCode);
        Assert.Contains("--stats-interval must be between 0 and 3600 seconds", interval.All);
    }

    [Fact]
    public void The_same_interface_twice_is_refused()
    {
        ProcessResult run = ForwarderProcess.Run(null, Timeout, "run", "--in", "lo", "--out", "lo");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--in and --out are both lo", run.All);
        ProcessResult bridge = ForwarderProcess.Run(null, Timeout, "bridge", "lo", "lo");
        Assert.Equal(2, bridge.ExitCode);
        Assert.Contains("cannot bridge lo with itself", bridge.All);
    }

    [RootFact]
    public void A_missing_interface_is_named()
    {
        ProcessResult r = ForwarderProcess.Run(null, Timeout, "run", "--in", "nosuch0", "--out", "lo");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no such interface: nosuch0", r.All);
    }

    [RootFact]
    public void An_interface_that_is_down_is_named_with_the_fix()
    {
        using var lab = new Lab();
        lab.Ip("-n", lab.Topology.Fwd, "link", "set", "f1", "down");
        foreach (string io in new[] { "mmap", "pcap" })
        {
            ProcessResult r = ForwarderProcess.Run(lab.Topology.Fwd, Timeout, "bridge", "f0", "f1", "--io", io, "--name", lab.Prefix + "fwd");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("interface f1 is down: bring it up with `ip link set f1 up`", r.All);
        }
    }

    [RootFact]
    public void Missing_cap_net_raw_is_named()
    {
        // setpriv drops CAP_NET_RAW from the bounding set, so even root runs the forwarder without it.
        var psi = new System.Diagnostics.ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--bounding-set", "-net_raw", "--inh-caps", "-net_raw", ForwarderProcess.Binary, "run", "--in", "lo", "--out", "eth0" })
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("needs the CAP_NET_RAW capability", output);
    }
}
