using System.Diagnostics;
using System.Runtime.InteropServices;
using Forwarder.Datapath;
using Forwarder.Ports;
using Forwarder.Ports.Native;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs.FqCodel;
using Sched.Fast.Time;
using DatapathEngine = Forwarder.Datapath.Datapath;

namespace Forwarder.Cli;

/// <summary>
/// One forwarding run (run or bridge): checks the request, opens the ports, starts the datapath, prints a live
/// statistics line, and on SIGINT/SIGTERM (or a removed interface) stops cleanly and prints a final summary.
/// </summary>
internal static class ForwardingSession
{
    /// <summary>Lets other parts (the control socket) attach to a running session; called once the datapath runs.</summary>
    public static event Action<DatapathEngine>? Started;

    public static async Task<int> RunAsync(ForwardingRequest request, TextWriter stdout, TextWriter stderr, CancellationToken token)
    {
        string a = request.Interfaces[0], b = request.Interfaces[1];
        if (a == b)
        {
            await stderr.WriteLineAsync(request.Bridge
                ? $"error: cannot bridge {a} with itself: name two different interfaces"
                : $"error: --in and --out are both {a}: name two different interfaces");
            return 2;
        }
        if (!Capabilities.HasEffective(Capabilities.NetRaw))
        {
            await stderr.WriteLineAsync("error: forwarder needs the CAP_NET_RAW capability to open raw sockets on " +
                $"{a} and {b}: run it as root, or grant it with `sudo setcap cap_net_raw,cap_net_admin+ep {Environment.ProcessPath}`");
            return 1;
        }

        var ports = new List<IPort>();
        PacketPool? pool = null;
        DatapathEngine? datapath = null;
        Control.ControlPlane? control = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        try
        {
            foreach (string name in request.Interfaces) PortOpener.CheckInterface(name);
            int mtu = request.Interfaces.Max(NetInterface.GetMtu);
            DatapathWarmup.Run(TimeSpan.FromMilliseconds(150), mtu);
            int txq = request.Interfaces.Sum(NetInterface.GetTxQueueLength);
            int count = request.PoolPackets > 0 ? request.PoolPackets : DefaultPoolPackets(txq, request.Bridge ? 2 : 1);
            pool = new PacketPool(count, SlotDataBytes(mtu));
            for (int i = 0; i < 2; i++)
            {
                bool receive = request.Bridge || i == 0;
                ports.Add(request.Io == IoBackend.Mmap
                    ? MmapPort.Open(request.Interfaces[i], pool, options: new MmapPortOptions { RxBlockRing = request.RxBlocks }, receive: receive)
                    : PcapPort.Open(request.Interfaces[i], pool));
            }
            DatapathWarmup.CompilePorts();
            int[] egress = request.Bridge ? [1, 0] : [1, -1];
            datapath = new DatapathEngine(ports, egress, SystemClock.Instance,
                new DatapathOptions { ThreadNice = request.Nice == 0 ? null : request.Nice });
            // tc: the startup batch, then the control socket (forwarder tc ...).
            control = await Control.ControlPlane.StartAsync(datapath, SystemClock.Instance, request.Name, request.TcBatch,
                stdout, stderr);
            string breakLine = IsLive(stdout) ? "\n" : "";
            datapath.PortStatusChanged += (port, status) => stderr.WriteLine(breakLine + status switch
            {
                PortStatus.Down => $"{port.Name}: link down; frames for it are dropped until it comes back",
                PortStatus.Up => $"{port.Name}: link up again",
                _ => $"{port.Name}: interface removed",
            });
            string mode = request.Bridge ? $"bridging {a} <-> {b}" : $"forwarding {a} -> {b}";
            string ring = request.Io == IoBackend.Mmap ? (request.RxBlocks ? ", block ring" : ", frame ring") : "";
            await stdout.WriteLineAsync($"forwarder: {mode} ({request.Io.ToString().ToLowerInvariant()} io{ring}, root qdisc " +
                $"{ports[1].Device.Root!.Kind} on {b}{(request.Bridge ? $" and {ports[0].Device.Root!.Kind} on {a}" : "")}); Ctrl-C stops");
            datapath.Start();
            Started?.Invoke(datapath);
            await ReportAsync(datapath, ports, request, stdout, stop.Token);
            datapath.Stop();
            PrintSummary(datapath, ports, stdout);
            if (datapath.Failure is not null)
            {
                await stderr.WriteLineAsync($"error: {datapath.Failure}");
                return 1;
            }
            return 0;
        }
        catch (Exception e) when (e is PortException or Control.ControlException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
        finally
        {
            if (control is not null) await control.DisposeAsync();
            datapath?.Dispose();
            foreach (IPort p in ports) p.Dispose();
            pool?.Dispose();
        }
    }

    /// <summary>
    /// The pool: the rings and the default fifos (3 x txqueuelen + 4096, at least 8192) plus one full fq_codel at
    /// its default limit (10240 packets) per direction that forwards (two in a bridge, where both directions may
    /// be flooded at once). A packet the pool cannot hold is lost on receive, before any qdisc could choose which
    /// flow loses it: with fq_codel filled by a flood, that was a ping in four.
    /// </summary>
    public static int DefaultPoolPackets(int sumTxQueueLength, int egressPorts) =>
        Math.Max(8192, 3 * sumTxQueueLength + 4096) + (int)FqCodelQdisc.DefaultLimit * egressPorts;

    /// <summary>Slots hold the headroom, the largest frame the MTU allows with two VLAN tags, and some tailroom; 2 KB at least.</summary>
    public static int SlotDataBytes(int mtu) => Math.Max(2048, (PacketPool.DefaultHeadroom + mtu + 14 + 8 + 64 + 63) & ~63);

    private static async Task ReportAsync(DatapathEngine datapath, List<IPort> ports, ForwardingRequest request, TextWriter stdout,
        CancellationToken token)
    {
        if (request.StatsIntervalSeconds <= 0)
        {
            // No statistics line: sleep until stopped, with no timer waking the process while it idles.
            await Task.WhenAny(Task.Delay(Timeout.Infinite, token), datapath.Stopped).ConfigureAwait(false);
            return;
        }
        var clock = Stopwatch.StartNew();
        bool live = IsLive(stdout);
        TimeSpan interval = TimeSpan.FromSeconds(request.StatsIntervalSeconds);
        var previous = ports.Select(p => p.Stats.Snapshot()).ToArray();
        double previousSeconds = 0;
        while (!token.IsCancellationRequested && !datapath.Stopped.IsCompleted)
        {
            try
            {
                await Task.WhenAny(Task.Delay(interval, token), datapath.Stopped);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (datapath.Stopped.IsCompleted) continue;
            double seconds = clock.Elapsed.TotalSeconds;
            var current = ports.Select(p => p.Stats.Snapshot()).ToArray();
            string line = StatsLine.Format(ports, previous, current, seconds - previousSeconds, seconds, request.Bridge);
            previous = current;
            previousSeconds = seconds;
            if (live) await stdout.WriteAsync($"\r{line}\u001b[K");
            else await stdout.WriteLineAsync(line);
        }
        if (live) await stdout.WriteLineAsync();
    }

    /// <summary>A terminal gets one line rewritten in place; a pipe or file gets a line per interval.</summary>
    private static bool IsLive(TextWriter stdout) => !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out);

    private static void PrintSummary(DatapathEngine datapath, List<IPort> ports, TextWriter stdout)
    {
        stdout.WriteLine("forwarder: stopped. Totals:");
        foreach (IPort p in ports)
        {
            PortStats s = p.Stats;
            var q = p.Device.Root!.Stats;
            stdout.WriteLine($"  {p.Name}: received {s.RxPackets} packets ({s.RxBytes} bytes), sent {s.TxPackets} packets " +
                $"({s.TxBytes} bytes); dropped {s.RxDropped} on receive (kernel {s.RxKernelDrops}), {s.TxDropped} on send, " +
                $"{q.Drops} by qdisc {p.Device.Root.Kind}; {s.RxSegmented} super-frames segmented, " +
                $"{s.RxChecksumsCompleted} checksums completed");
        }
        if (datapath.UnforwardedDrops > 0) stdout.WriteLine($"  not forwarded: {datapath.UnforwardedDrops}");
        LatenessHistogram lateness = datapath.WakeupLateness();
        if (lateness.Count > 0) stdout.WriteLine($"  qdisc deadlines: {lateness.Describe()}");
    }
}
