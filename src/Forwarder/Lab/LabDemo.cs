using System.Text.RegularExpressions;
using Forwarder.Cli;

namespace Forwarder.Lab;

/// <summary>
/// `forwarder lab demo`: builds the lab, bridges f0 and f1 with this forwarder in ns fwd, sends ping, an iperf3 TCP
/// stream and an iperf3 UDP flood from ns gen to ns sink through it, prints what crossed, and tears everything down,
/// also after a failure or Ctrl-C.
/// </summary>
internal static partial class LabDemo
{
    public static async Task<int> RunAsync(LabTopology lab, IoBackend io, bool offloads, int seconds, TextWriter stdout,
        TextWriter stderr, CancellationToken token)
    {
        var children = new List<ChildProcess>();
        try
        {
            await stdout.WriteLineAsync($"lab: building namespaces {lab.Gen}, {lab.Fwd}, {lab.Sink} " +
                $"(g0 {LabTopology.GenAddress} -- f0 [forwarder] f1 -- s0 {LabTopology.SinkAddress}, offloads {(offloads ? "on" : "off")})");
            lab.Up(offloads);
            token.ThrowIfCancellationRequested();

            (string self, List<string> selfArgs) = SelfCommand.Get();
            var fwdArgs = new List<string> { "netns", "exec", lab.Fwd, self };
            fwdArgs.AddRange(selfArgs);
            // Its own control socket name, so that the demo runs beside any other forwarder instance.
            fwdArgs.AddRange(["bridge", "f0", "f1", "--io", io.ToString().ToLowerInvariant(), "--stats-interval", "1",
                "--name", lab.Prefix + "labdemo"]);
            ChildProcess forwarder = ChildProcess.Start("ip", fwdArgs, "forwarder", stdout, readyMarker: "forwarder: bridging");
            children.Add(forwarder);
            if (!await forwarder.WaitReadyAsync(TimeSpan.FromSeconds(60), token))
                throw new LabException("the forwarder did not start: " + string.Join(" / ", forwarder.Lines));

            await stdout.WriteLineAsync($"\nlab: ping {LabTopology.SinkAddress} from {lab.Gen} through the forwarder");
            ChildProcess ping = ChildProcess.Start("ip", ["netns", "exec", lab.Gen, "ping", "-c", "5", "-i", "0.2", "-W", "2", LabTopology.SinkAddress],
                "ping", stdout, echo: false);
            children.Add(ping);
            int pingExit = await ping.WaitForExitAsync(token);
            string pingSummary = ping.Lines.FirstOrDefault(l => l.Contains("packets transmitted", StringComparison.Ordinal)) ?? ping.Text;
            await stdout.WriteLineAsync($"  {pingSummary}");
            if (pingExit != 0) throw new LabException("ping did not get through the forwarder");
            token.ThrowIfCancellationRequested();

            string secondsText = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await stdout.WriteLineAsync($"\nlab: iperf3 TCP stream, {seconds} s");
            string tcp = await IperfAsync(lab, ["-t", secondsText], children, stdout, token);
            await stdout.WriteLineAsync($"  {tcp}");
            await stdout.WriteLineAsync($"\nlab: iperf3 UDP flood of 64-byte datagrams, {seconds} s");
            long bufferDropsBefore = SinkUdpReceiveBufferErrors(lab);
            string udp = await IperfAsync(lab, ["-u", "-b", "0", "-l", "64", "-t", secondsText], children, stdout, token);
            await stdout.WriteLineAsync($"  {udp}");
            long bufferDrops = SinkUdpReceiveBufferErrors(lab) - bufferDropsBefore;
            if (bufferDrops > 0)
                await stdout.WriteLineAsync($"  of the lost datagrams, {bufferDrops} crossed the forwarder and were dropped by the " +
                    "iperf3 server's full socket buffer in ns sink (Udp RcvbufErrors)");

            await stdout.WriteLineAsync("\nlab: stopping the forwarder (SIGINT)");
            forwarder.Interrupt(TimeSpan.FromSeconds(10));
            await stdout.WriteLineAsync("\nlab: done; tearing the lab down");
            return 0;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("\nlab: interrupted; tearing the lab down");
            return 130;
        }
        catch (LabException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
        finally
        {
            foreach (ChildProcess c in children)
            {
                c.Interrupt(TimeSpan.FromSeconds(5));
                c.Dispose();
            }
            lab.Down();
        }
    }

    /// <summary>Runs an iperf3 server in ns sink and a client in ns gen; returns the client's receiver summary line.</summary>
    private static async Task<string> IperfAsync(LabTopology lab, string[] clientArgs, List<ChildProcess> children, TextWriter stdout,
        CancellationToken token)
    {
        ChildProcess server = ChildProcess.Start("ip", ["netns", "exec", lab.Sink, "iperf3", "-s", "-1", "--forceflush", "-B", LabTopology.SinkAddress],
            "iperf3 server", stdout, readyMarker: "Server listening", echo: false);
        children.Add(server);
        if (!await server.WaitReadyAsync(TimeSpan.FromSeconds(10), token))
            throw new LabException("iperf3 server did not start: " + string.Join(" / ", server.Lines));
        var args = new List<string> { "netns", "exec", lab.Gen, "iperf3", "-c", LabTopology.SinkAddress, "-f", "m", "--forceflush" };
        args.AddRange(clientArgs);
        // A child like the others, so that Ctrl-C stops it at once and teardown kills it.
        ChildProcess client = ChildProcess.Start("ip", args, "iperf3", stdout, echo: false);
        children.Add(client);
        int exit = await client.WaitForExitAsync(token);
        server.Interrupt(TimeSpan.FromSeconds(3));
        if (exit != 0) throw new LabException($"iperf3 failed: {client.Text}");
        string? receiver = client.Lines.LastOrDefault(l => l.Contains("receiver", StringComparison.Ordinal));
        return receiver is null ? client.Text : Spaces().Replace(receiver.Trim(), " ");
    }

    /// <summary>The sink's UDP RcvbufErrors counter (/proc/net/snmp): datagrams its sockets had no room for.</summary>
    private static long SinkUdpReceiveBufferErrors(LabTopology lab)
    {
        string[] lines = Shell.Run("ip", ["netns", "exec", lab.Sink, "cat", "/proc/net/snmp"]).Output.Split('\n');
        string[]? names = null;
        foreach (string line in lines)
        {
            if (!line.StartsWith("Udp: ", StringComparison.Ordinal)) continue;
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (names is null) { names = fields; continue; }
            int i = Array.IndexOf(names, "RcvbufErrors");
            return i > 0 && i < fields.Length && long.TryParse(fields[i], out long v) ? v : 0;
        }
        return 0;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
