using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Forwarder.Control;
using Forwarder.Lab;
using Forwarder.Tests.EndToEnd;
using Sched.Fast.Tc.Commands;

namespace Forwarder.Tests.Wire;

/// <summary>
/// The forwarder as a user runs it for a wire check: a private namespace lab, and in its ns fwd
/// `forwarder bridge f0 f1 --tc FILE --name N` with the qdisc configuration on f1 (gen -> sink), answering tc on its
/// own control socket. Disposing stops it and removes the lab, also after a failed assertion.
/// </summary>
public sealed class WireBridge : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private readonly string _runDir;
    private readonly string _socket;

    public WireBridge(string tcBatch, bool offloads = true)
    {
        Lab = new EndToEnd.Lab(offloads);
        _runDir = Path.Combine(Path.GetTempPath(), Lab.Prefix + "run");
        try
        {
            Directory.CreateDirectory(_runDir);
            string batch = Path.Combine(_runDir, "wire.tc");
            File.WriteAllText(batch, tcBatch);
            string name = Lab.Prefix.TrimEnd('-');
            _socket = Path.Combine(_runDir, name + ".sock");
            Forwarder = ForwarderProcess.StartProgram(Lab.Topology.Fwd, "forwarder: bridging", "env",
                $"FORWARDER_RUN_DIR={_runDir}", ForwarderProcess.Binary, "bridge", "f0", "f1", "--stats-interval", "0",
                "--name", name, "--tc", batch);
            Forwarder.WaitReady(Startup);
            WarmUp();
            PinNeighbours();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EndToEnd.Lab Lab { get; }

    public ForwarderProcess? Forwarder { get; }

    /// <summary>A tc command run by the instance (what `forwarder tc --instance N ...` does).</summary>
    public TcRunResult Tc(params string[] args) => ControlClient.Run(_socket, args, TextReader.Null);

    /// <summary>The Sent bytes of f1's root qdisc, and when they were read.</summary>
    public (long Bytes, TimeSpan At) RootSentBytes()
    {
        // Stamped at the middle of the call: the first one (JIT, a loaded machine) may take a large part of a second.
        long before = Stopwatch.GetTimestamp();
        TcRunResult r = Tc("-s", "-j", "qdisc", "show", "dev", "f1");
        TimeSpan at = (Stopwatch.GetElapsedTime(0, before) + Stopwatch.GetElapsedTime(0)) / 2;
        Assert.True(r.ExitCode == 0, r.Output.Combined);
        using JsonDocument json = JsonDocument.Parse(r.Output.Combined);
        foreach (JsonElement q in json.RootElement.EnumerateArray())
        {
            if (q.TryGetProperty("root", out JsonElement root) && root.GetBoolean()) return (q.GetProperty("bytes").GetInt64(), at);
        }
        throw new InvalidOperationException("no root qdisc on f1: " + r.Output.Combined);
    }

    /// <summary>ARP resolved and the path proven before anything is measured.</summary>
    private void WarmUp()
    {
        for (int i = 0; i < 3; i++)
        {
            if (PingRun.Run(Lab, 5, 0.05, 1).RttsMs.Count >= 3) return;
        }
        throw new InvalidOperationException("ping does not cross the bridge:\n" + Forwarder?.Output);
    }

    /// <summary>
    /// Permanent ARP entries on both ends: a full shaped queue drops ARP replies like any other frame, and a
    /// neighbour that fails to re-resolve would lose every ping of a measurement for a reason that is not the qdisc's.
    /// </summary>
    private void PinNeighbours()
    {
        Pin(Lab.Topology.Gen, "g0", LabTopology.SinkAddress, Mac(Lab.Topology.Sink, "s0"));
        Pin(Lab.Topology.Sink, "s0", LabTopology.GenAddress, Mac(Lab.Topology.Gen, "g0"));
    }

    private string Mac(string ns, string dev) => Lab.Exec(ns, TimeSpan.FromSeconds(10), "cat", $"/sys/class/net/{dev}/address").Output.Trim();

    private void Pin(string ns, string dev, string address, string mac)
    {
        ProcessResult r = Lab.Exec(ns, TimeSpan.FromSeconds(10), "ip", "neigh", "replace", address, "lladdr", mac, "dev", dev, "nud", "permanent");
        if (r.ExitCode != 0) throw new InvalidOperationException($"ip neigh replace in {ns}: {r.All}");
    }

    public string Diagnostics() =>
        string.Create(CultureInfo.InvariantCulture, $"{Tc("-s", "qdisc", "show", "dev", "f1").Output.Combined}\n{Forwarder?.Output}");

    public void Dispose()
    {
        Forwarder?.Dispose();
        Lab.Dispose();
        if (Directory.Exists(_runDir)) Directory.Delete(_runDir, recursive: true);
    }
}
