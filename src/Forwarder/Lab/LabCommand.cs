using System.CommandLine;
using System.Runtime.InteropServices;
using Forwarder.Cli;

namespace Forwarder.Lab;

/// <summary><c>forwarder lab up|down|demo</c>: the namespace lab.</summary>
internal static class LabCommand
{
    public static Command Build()
    {
        var lab = new Command("lab", "a three-namespace lab (gen -- fwd -- sink, 198.18.0.0/24) to watch the forwarder work (root only)");
        lab.Add(Up());
        lab.Add(Down());
        lab.Add(Demo());
        return lab;
    }

    private static Option<string> Prefix() => new("--prefix")
    {
        Description = "a prefix for the namespace names (default: $LAB_PREFIX, as lab.sh)",
        DefaultValueFactory = _ => LabTopology.DefaultPrefix,
    };

    private static Option<string> Offloads() => new("--offloads")
    {
        Description = "veth offloads: on (the default: GRO, TSO, checksum offload) or off",
        DefaultValueFactory = _ => "on",
        Validators = { r => { string v = r.GetValueOrDefault<string>(); if (v is not ("on" or "off")) r.AddError("--offloads must be on or off"); } },
    };

    private static Command Up()
    {
        var prefix = Prefix();
        var offloads = Offloads();
        var cmd = new Command("up", "build the namespaces gen, fwd and sink: g0 198.18.0.1/24 -- f0 [fwd] f1 -- s0 198.18.0.2/24") { prefix, offloads };
        cmd.SetAction(r => Guard(() =>
        {
            var t = new LabTopology(r.GetValue(prefix)!);
            t.Up(r.GetValue(offloads) == "on");
            Console.WriteLine($"lab up: run the forwarder with `ip netns exec {t.Fwd} ./forwarder bridge f0 f1`, " +
                $"traffic with `ip netns exec {t.Gen} ping {LabTopology.SinkAddress}`; `./forwarder lab down` removes it");
            return 0;
        }));
        return cmd;
    }

    private static Command Down()
    {
        var prefix = Prefix();
        var cmd = new Command("down", "remove the lab's namespaces") { prefix };
        cmd.SetAction(r => Guard(() =>
        {
            new LabTopology(r.GetValue(prefix)!).Down();
            Console.WriteLine("lab down");
            return 0;
        }));
        return cmd;
    }

    private static Command Demo()
    {
        var prefix = Prefix();
        var offloads = Offloads();
        var io = CommonOptions.Io();
        var seconds = new Option<int>("--seconds")
        {
            Description = "how long each iperf3 test runs",
            DefaultValueFactory = _ => 3,
            Validators = { r => { int v = r.GetValueOrDefault<int>(); if (v is < 1 or > 600) r.AddError("--seconds must be between 1 and 600"); } },
        };
        var cmd = new Command("demo", "build the lab, bridge f0 and f1 with the forwarder, send ping, an iperf3 TCP stream and a UDP flood through it, print what crossed, tear down")
        {
            prefix, offloads, io, seconds,
        };
        cmd.SetAction(async (r, token) =>
        {
            if (!IsRoot()) return NotRoot();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cts.Cancel(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
            return await LabDemo.RunAsync(new LabTopology(r.GetValue(prefix)!), r.GetValue(io), r.GetValue(offloads) == "on",
                r.GetValue(seconds), Console.Out, Console.Error, cts.Token);
        });
        return cmd;
    }

    private static int Guard(Func<int> action)
    {
        if (!IsRoot()) return NotRoot();
        try
        {
            return action();
        }
        catch (LabException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static bool IsRoot() => geteuid() == 0;

    private static int NotRoot()
    {
        Console.Error.WriteLine("error: the lab creates network namespaces and needs root: run it with sudo");
        return 1;
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}
