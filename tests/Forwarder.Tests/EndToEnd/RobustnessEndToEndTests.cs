namespace Forwarder.Tests.EndToEnd;

/// <summary>Links going away under a running forwarder, floods, idling, and Ctrl-C on the lab demo.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RobustnessEndToEndTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [RootTheory]
    [InlineData("mmap")]
    [InlineData("pcap")]
    public void A_link_going_down_and_up_is_reported_and_a_removed_interface_ends_the_run_with_a_message(string io)
    {
        using var lab = new Lab();
        using ForwarderProcess fwd = ForwarderProcess.Start(lab.Topology.Fwd, "forwarder: bridging",
            "bridge", "f0", "f1", "--io", io, "--stats-interval", "0", "--name", lab.Prefix + "fwd");
        fwd.WaitReady(Startup);

        lab.Ip("-n", lab.Topology.Fwd, "link", "set", "f1", "down");
        Assert.True(fwd.WaitForOutput("f1: link down", TimeSpan.FromSeconds(10)), fwd.Output);
        lab.Ip("-n", lab.Topology.Fwd, "link", "set", "f1", "up");
        Assert.True(fwd.WaitForOutput("f1: link up again", TimeSpan.FromSeconds(10)), fwd.Output);
        ProcessResult ping = lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.0.2");
        Assert.True(ping.ExitCode == 0, "traffic resumes after the link comes back: " + ping.All + fwd.Output);

        lab.Ip("-n", lab.Topology.Fwd, "link", "del", "f1");
        Assert.Equal(1, fwd.WaitForExit(TimeSpan.FromSeconds(20)));
        Assert.Contains("interface f1 was removed", fwd.Output);
        Assert.DoesNotContain("Unhandled exception", fwd.Output);
    }

    [RootFact]
    public void A_full_rate_flood_neither_crashes_it_nor_grows_its_memory_without_bound()
    {
        using var lab = new Lab();
        using ForwarderProcess fwd = ForwarderProcess.Start(lab.Topology.Fwd, "forwarder: bridging",
            "bridge", "f0", "f1", "--stats-interval", "0", "--name", lab.Prefix + "fwd");
        fwd.WaitReady(Startup);
        string conf = Path.Combine(Path.GetTempPath(), $"fnd-flood-{Environment.ProcessId}.trafgen");
        File.WriteAllText(conf, "{ eth(da=ff:ff:ff:ff:ff:ff, sa=02:00:00:00:00:01, type=0x0800), " +
            "ipv4(saddr=198.18.0.1, daddr=198.18.0.2, ttl=64), udp(sp=dinc(1000,2000), dp=9), fill(0x00, 18) }");
        try
        {
            long Flood()
            {
                lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(30), "timeout", "3", "trafgen", "--dev", "g0", "--conf", conf, "--cpus", "1", "-q");
                Thread.Sleep(500);
                Assert.False(fwd.HasExited, fwd.Output);
                return fwd.ResidentKb();
            }
            long first = Flood();
            long second = Flood();
            long third = Flood();
            // The pool and rings are allocated up front: later floods must not need more memory.
            Assert.True(third - first < 32 * 1024, $"resident memory grew from {first} kB to {second} kB to {third} kB");
        }
        finally
        {
            File.Delete(conf);
        }
        Assert.Equal(0, fwd.Interrupt(TimeSpan.FromSeconds(20)));
        Assert.Matches(@"f1: received \d+ packets .* sent [1-9]\d* packets", fwd.Output.Replace("\n", " "));
    }

    [RootFact]
    public void Sigint_stops_a_forwarder_started_in_the_background_of_a_script()
    {
        // Shells start background jobs of scripts with SIGINT ignored; benchmark harnesses still stop them with it.
        using var lab = new Lab();
        string script = $"ip netns exec {lab.Topology.Fwd} {ForwarderProcess.Binary} bridge f0 f1 --stats-interval 0 --name {lab.Prefix}fwd & " +
            "P=$!; sleep 8; kill -INT $P; wait $P; echo exit=$?";
        var psi = new System.Diagnostics.ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(90)), output);
        output += err.Result;
        Assert.Contains("exit=0", output);
        Assert.Contains("forwarder: stopped. Totals:", output);
    }

    [RootFact]
    public void An_idle_forwarder_sleeps_instead_of_spinning()
    {
        using var lab = new Lab();
        using ForwarderProcess fwd = ForwarderProcess.Start(lab.Topology.Fwd, "forwarder: bridging",
            "bridge", "f0", "f1", "--stats-interval", "0", "--name", lab.Prefix + "fwd");
        fwd.WaitReady(Startup);
        Thread.Sleep(1000); // let start-up work (JIT, first statistics) finish
        long before = fwd.CpuTicks();
        Thread.Sleep(5000);
        long ticks = fwd.CpuTicks() - before;
        // Under 2% of one core over 5 s is under 10 ticks of 10 ms; allow the background JIT a little.
        Assert.True(ticks <= 10, $"{ticks * 10} ms of CPU in 5 s idle");
        Assert.Equal(0, fwd.Interrupt(TimeSpan.FromSeconds(20)));
    }

    [RootFact]
    public void Ctrl_c_during_the_demo_leaves_no_namespace_or_process_behind()
    {
        string prefix = $"fndc{Environment.ProcessId % 100000}-";
        // Interrupt in the middle of a 30-second iperf3 stream: forwarder, iperf3 server and client all run then.
        using ForwarderProcess demo = ForwarderProcess.Start(null, "lab: iperf3 TCP stream", "lab", "demo", "--prefix", prefix, "--seconds", "30");
        demo.WaitReady(Startup);
        Thread.Sleep(1500);
        var pids = new List<string>();
        foreach (string ns in new[] { "gen", "fwd", "sink" })
            pids.AddRange(new Lab.Pids(prefix + ns).Read().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(pids.Count >= 3, $"expected forwarder, iperf3 server and client, found {pids.Count}\n{demo.Output}");

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(130, demo.Interrupt(TimeSpan.FromSeconds(60)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(25), $"the demo took {stopwatch.Elapsed} to stop (the stream had ~28 s to go)");

        Assert.Contains("interrupted; tearing the lab down", demo.Output);
        Assert.DoesNotContain(prefix, new Lab.Namespaces().Read());
        foreach (string pid in pids)
            Assert.False(Directory.Exists($"/proc/{pid.Trim()}"), $"process {pid} of the demo is still running");
    }
}
