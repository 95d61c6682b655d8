using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Forwarder.Lab;
using Forwarder.Ports;
using Sched.Fast.Packets;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Time;
using DatapathEngine = Forwarder.Datapath.Datapath;

namespace Forwarder.Perf.Qdiscs;

/// <summary>
/// The bufferbloat check of issue 6 on the wire, in the namespace lab (gen -- f0 [forwarder] f1 -- sink): the
/// forwarder bridges f0 and f1 with f1's root configured as "htb default 1; class 1:1 htb rate 20mbit" and a leaf
/// of fq_codel or "pfifo limit 1000". iperf3 sends UDP at 40 Mbit/s (twice the rate) from gen to sink, and a
/// ping every 100 ms measures the delay it sees next to that load. Expected: under 15 ms with fq_codel, past
/// 300 ms with pfifo. Until `forwarder run --tc` exists, this builds the forwarder from the Datapath and
/// TcEngine APIs the CLI uses. Root only; the lab's namespaces are prefixed "qaqm-" and removed afterwards.
/// <code>dotnet perf/Forwarder.Perf/bin/Release/net10.0/Forwarder.Perf.dll --aqm-wire</code>
/// </summary>
internal static partial class FqCodelWireCheck
{
    private const string ReadyMarker = "aqm-wire: forwarding";

    public static int Run(string[] args)
    {
        if (args is ["forwarder", string leaf]) return RunForwarder(leaf);
        return RunCheck();
    }

    private sealed record Outcome(string Leaf, int Sent, List<double> Rtts, string QdiscStats, string Iperf);

    private static int RunCheck()
    {
        var lab = new LabTopology("qaqm-");
        var outcomes = new List<Outcome>();
        try
        {
            Console.WriteLine($"aqm-wire: building the lab ({lab.Gen}, {lab.Fwd}, {lab.Sink}), offloads off");
            lab.Up(offloads: false);
            foreach (string leaf in new[] { "fq_codel", "pfifo" }) outcomes.Add(Measure(lab, leaf));
        }
        finally
        {
            lab.Down();
        }

        bool ok = true;
        Console.WriteLine();
        Console.WriteLine("leaf      pings  lost  min     p50     p90     max      (ms)");
        foreach (Outcome o in outcomes)
        {
            var r = o.Rtts.Order().ToList();
            double P(double q) => r.Count == 0 ? double.NaN : r[(int)Math.Min(r.Count - 1, Math.Floor(q * r.Count))];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{o.Leaf,-9} {o.Sent,5}  {o.Sent - r.Count,4}  " +
                $"{P(0),-7:F2} {P(0.5),-7:F2} {P(0.9),-7:F2} {P(1.0),-8:F2}"));
            Console.WriteLine($"  iperf3: {o.Iperf}");
            Console.WriteLine("  " + o.QdiscStats.Replace("\n", "\n  ", StringComparison.Ordinal).TrimEnd());
            if (o.Leaf == "fq_codel") ok &= r.Count > 0 && P(1.0) < 15;
            else ok &= r.Count > 0 && P(0.5) > 300;
        }
        Console.WriteLine(ok ? "aqm-wire: PASS (fq_codel under 15 ms, pfifo past 300 ms)" : "aqm-wire: FAIL");
        return ok ? 0 : 1;
    }

    private static Outcome Measure(LabTopology lab, string leaf)
    {
        Console.WriteLine($"\naqm-wire: forwarder with htb rate 20mbit and a {leaf} leaf on f1");
        string self = typeof(FqCodelWireCheck).Assembly.Location;
        using ChildProcess forwarder = ChildProcess.Start("ip",
            ["netns", "exec", lab.Fwd, Environment.ProcessPath!, self, "--aqm-wire", "forwarder", leaf],
            "forwarder", Console.Out, ReadyMarker, echo: false);
        if (!forwarder.WaitReadyAsync(TimeSpan.FromSeconds(60), CancellationToken.None).Result)
            throw new LabException("the forwarder did not start: " + string.Join(" / ", forwarder.Lines));

        Shell.Result warm = Shell.Run("ip", ["netns", "exec", lab.Gen, "ping", "-c", "3", "-i", "0.2", "-W", "2", LabTopology.SinkAddress]);
        if (warm.ExitCode != 0) throw new LabException("ping does not cross the forwarder: " + warm.Output + warm.Error);

        using ChildProcess server = ChildProcess.Start("ip", ["netns", "exec", lab.Sink, "iperf3", "-s", "-1"],
            "iperf3-s", Console.Out, "Server listening", echo: false);
        server.WaitReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None).Wait();
        using ChildProcess client = ChildProcess.Start("ip",
            ["netns", "exec", lab.Gen, "iperf3", "-c", LabTopology.SinkAddress, "-u", "-b", "40M", "-l", "1400", "-t", "14"],
            "iperf3-c", Console.Out, echo: false);
        Thread.Sleep(3000); // let the standing queue build
        const int count = 80;
        Shell.Result ping = Shell.Run("ip",
            ["netns", "exec", lab.Gen, "ping", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", "0.1", "-W", "3",
             LabTopology.SinkAddress], TimeSpan.FromSeconds(30));
        var rtts = RttPattern().Matches(ping.Output)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        for (int i = 0; i < 200 && !client.HasExited; i++) Thread.Sleep(100); // the 14 s run and its summary
        client.Interrupt(TimeSpan.FromSeconds(5));
        server.Interrupt(TimeSpan.FromSeconds(5));
        forwarder.Interrupt(TimeSpan.FromSeconds(10));
        string iperf = client.Lines.LastOrDefault(l => l.Contains("receiver", StringComparison.Ordinal))
            ?? client.Lines.LastOrDefault(l => l.Contains("bits/sec", StringComparison.Ordinal)) ?? "(no summary)";
        string stats = string.Join('\n', forwarder.Lines.SkipWhile(l => !l.StartsWith("qdisc ", StringComparison.Ordinal)));
        return new Outcome(leaf, count, rtts, stats, iperf.Trim());
    }

    [GeneratedRegex(@"time=([0-9.]+) ms")]
    private static partial Regex RttPattern();

    /// <summary>The forwarder side, run inside ns fwd: bridge f0 and f1, f1 shaped to 20 Mbit/s with the given leaf.</summary>
    private static int RunForwarder(string leaf)
    {
        using var pool = new PacketPool(16384, 2048);
        var ports = new List<IPort> { MmapPort.Open("f0", pool), MmapPort.Open("f1", pool) };
        using var datapath = new DatapathEngine(ports, [1, 0], SystemClock.Instance);
        var tc = new TcEngine(datapath.Devices, SystemClock.Instance);
        string leafOptions = leaf == "pfifo" ? "pfifo limit 1000" : leaf;
        foreach (string command in new[]
        {
            "qdisc add dev f1 root handle 1: htb default 1",
            "class add dev f1 parent 1: classid 1:1 htb rate 20mbit",
            $"qdisc add dev f1 parent 1:1 handle 10: {leafOptions}",
        })
        {
            TcRunResult r = tc.Run(command.Split(' '));
            if (r.ExitCode != 0) throw new InvalidOperationException($"tc {command}: {r.Output.Combined}");
        }
        using var stop = new ManualResetEventSlim();
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
        datapath.Start();
        Console.WriteLine(ReadyMarker);
        stop.Wait();
        datapath.Stop();
        Console.Write(tc.Run(["-s", "qdisc", "show", "dev", "f1"]).Output.Combined);
        foreach (IPort p in ports) p.Dispose();
        return 0;
    }
}
