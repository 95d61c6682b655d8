using System.Runtime.InteropServices;
using Forwarder.Ports;
using Sched.Fast.Packets;
using Sched.Fast.Tc.Commands;
using Sched.Fast.Time;
using DatapathEngine = Forwarder.Datapath.Datapath;

// A bridge between two interfaces with a tc batch applied, for the on-the-wire shaper checks until
// `forwarder run|bridge` takes a tc configuration: the real ports (AF_PACKET rings) and the real datapath, with the
// tc engine run on the datapath thread. Stops on SIGINT/SIGTERM and prints "tc -s qdisc show" of the egress side.
//   ShaperWire IF1 IF2 BATCH   (IF1 <-> IF2; BATCH's commands name the devices, e.g. "qdisc add dev IF2 root ...")
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ShaperWire IF1 IF2 TC-BATCH-FILE");
    return 2;
}
string a = args[0], b = args[1], batch = args[2];
int mtu = Math.Max(Mtu(a), Mtu(b));
using var pool = new PacketPool(16384, Math.Max(2048, (PacketPool.DefaultHeadroom + mtu + 14 + 8 + 64 + 63) & ~63));
var ports = new List<IPort> { MmapPort.Open(a, pool), MmapPort.Open(b, pool) };
using var datapath = new DatapathEngine(ports, [1, 0], SystemClock.Instance);
var engine = new TcEngine(datapath.Devices, SystemClock.Instance);
datapath.Start();
TcRunResult applied = await datapath.InvokeAsync(() => engine.Run(["-b", batch]));
Console.Write(applied.Output.Combined);
if (applied.ExitCode != 0)
{
    datapath.Stop();
    return applied.ExitCode;
}
Console.WriteLine($"shaper-wire: bridging {a} <-> {b} with {batch}");
using var stop = new CancellationTokenSource();
using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
TcRunResult shown = await datapath.InvokeAsync(() => engine.Run(["-s", "qdisc", "show", "dev", b]));
datapath.Stop();
Console.Write(shown.Output.Combined);
foreach (IPort p in ports) p.Dispose();
return datapath.Failure is null ? 0 : 1;

static int Mtu(string name) => int.Parse(File.ReadAllText($"/sys/class/net/{name}/mtu").Trim(), System.Globalization.CultureInfo.InvariantCulture);
