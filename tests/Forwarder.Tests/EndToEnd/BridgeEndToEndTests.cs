using System.Globalization;
using System.Text.RegularExpressions;

namespace Forwarder.Tests.EndToEnd;

/// <summary>
/// ping and iperf3 TCP from ns gen to ns sink through `forwarder bridge f0 f1` in ns fwd, with both io backends and
/// with veth offloads on (GRO/TSO super-frames, partial checksums) and off.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class BridgeEndToEndTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [RootTheory]
    [InlineData("mmap", true)]
    [InlineData("mmap", false)]
    [InlineData("pcap", true)]
    [InlineData("pcap", false)]
    public void Ping_crosses_the_bridge(string io, bool offloads)
    {
        using var lab = new Lab(offloads);
        using ForwarderProcess fwd = ForwarderProcess.Start(lab.Topology.Fwd, "forwarder: bridging",
            "bridge", "f0", "f1", "--io", io, "--stats-interval", "0", "--name", lab.Prefix + "fwd");
        fwd.WaitReady(Startup);

        ProcessResult ping = lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(30), "ping", "-c", "5", "-i", "0.2", "-W", "2", "198.18.0.2");

        Assert.True(ping.ExitCode == 0, ping.All + "\n" + fwd.Output);
        Assert.Contains("5 received", ping.Output);
        Assert.Equal(0, fwd.Interrupt(TimeSpan.FromSeconds(20)));
        Assert.Contains("forwarder: stopped. Totals:", fwd.Output);
    }

    [RootTheory]
    [InlineData("mmap", true)]
    [InlineData("mmap", false)]
    [InlineData("pcap", true)]
    [InlineData("pcap", false)]
    public void An_iperf3_tcp_stream_crosses_the_bridge(string io, bool offloads)
    {
        using var lab = new Lab(offloads);
        using ForwarderProcess fwd = ForwarderProcess.Start(lab.Topology.Fwd, "forwarder: bridging",
            "bridge", "f0", "f1", "--io", io, "--stats-interval", "0", "--name", lab.Prefix + "fwd");
        fwd.WaitReady(Startup);
        using ForwarderProcess server = IperfServer(lab);

        ProcessResult client = lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(60),
            "iperf3", "-c", "198.18.0.2", "-t", "2", "-f", "m", "--connect-timeout", "5000");

        Assert.True(client.ExitCode == 0, client.All + "\n" + fwd.Output);
        double mbits = ReceiverMbits(client.Output);
        Assert.True(mbits > 5, $"only {mbits} Mbit/s arrived:\n{client.Output}");
        Assert.Equal(0, fwd.Interrupt(TimeSpan.FromSeconds(20)));
        if (offloads && io == "mmap") Assert.Matches(@"[1-9]\d* super-frames segmented", fwd.Output);
    }

    [RootTheory]
    [InlineData("mmap")]
    [InlineData("pcap")]
    public void Frames_it_sends_are_not_received_again_and_sigterm_stops_it_with_totals(string io)
    {
        using var lab = new Lab();
        using ForwarderProcess fwd = ForwarderProcess.Start(lab.Topology.Fwd, "forwarder: bridging",
            "bridge", "f0", "f1", "--io", io, "--stats-interval", "0", "--name", lab.Prefix + "fwd");
        fwd.WaitReady(Startup);
        ProcessResult ping = lab.Exec(lab.Topology.Gen, TimeSpan.FromSeconds(30), "ping", "-c", "20", "-i", "0.05", "-W", "2", "198.18.0.2");
        Assert.True(ping.ExitCode == 0, ping.All + fwd.Output);

        fwd.Signal(15);
        Assert.Equal(0, fwd.WaitForExit(TimeSpan.FromSeconds(20)));
        // If our own transmissions came back on RX, each port would receive more than its peer ever sent (and loop).
        long g0Sent = Counter(lab, lab.Topology.Gen, "g0", "tx_packets");
        long s0Sent = Counter(lab, lab.Topology.Sink, "s0", "tx_packets");
        long f0Received = Total(fwd.Output, "f0"), f1Received = Total(fwd.Output, "f1");
        Assert.InRange(f0Received, 20, g0Sent);
        Assert.InRange(f1Received, 20, s0Sent);
    }

    private static long Counter(Lab lab, string ns, string dev, string name) =>
        long.Parse(lab.Exec(ns, TimeSpan.FromSeconds(10), "cat", $"/sys/class/net/{dev}/statistics/{name}").Output.Trim(),
            CultureInfo.InvariantCulture);

    private static long Total(string output, string port)
    {
        Match m = Regex.Match(output, $@"{port}: received (\d+) packets");
        Assert.True(m.Success, output);
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    internal static ForwarderProcess IperfServer(Lab lab)
    {
        ForwarderProcess server = ForwarderProcess.StartProgram(lab.Topology.Sink, "Server listening",
            "iperf3", "-s", "-1", "--forceflush", "-B", "198.18.0.2");
        server.WaitReady(TimeSpan.FromSeconds(10));
        return server;
    }

    internal static double ReceiverMbits(string iperfOutput)
    {
        Match m = ReceiverLine().Match(iperfOutput);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"([\d.]+) Mbits/sec\s+receiver")]
    private static partial Regex ReceiverLine();
}
