using BenchmarkDotNet.Attributes;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Netem;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Forwarder.Perf.Qdiscs;

/// <summary>
/// netem enqueue + dequeue, ns per packet and allocated bytes per packet (must be 0), for its main configurations,
/// with 1 flow and with 1024 flows (netem does not look at flows; the rows show it costs nothing either way). Each
/// invocation rents <see cref="Batch"/> packets from the pool, enqueues them at one instant, then dequeues them all
/// in simulated time, jumping to each wake-up, and frees them: the pool's rent and free are included
/// (<see cref="RentAndFreeOnly"/> measures them alone).
/// Run: dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*NetemBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class NetemBenchmarks
{
    private const int Batch = 1024;
    private const int FrameBytes = 1000;

    [Params(
        "delay 0ms",
        "delay 10ms",
        "delay 10ms 5ms distribution normal",
        "delay 10ms loss 1% duplicate 1% corrupt 1% reorder 5%",
        "loss state 1% 20% 1% 50% 2%",
        "rate 1gbit 20",
        "delay 1ms slot 500us 1ms packets 64")]
    public string Options { get; set; } = "";

    [Params(1, 1024)]
    public int Flows { get; set; }

    private PacketPool _pool = null!;
    private Qdisc _qdisc = null!;
    private TimeNs _now = new(TimeNs.NsPerSecond);

    [GlobalSetup]
    public void Setup()
    {
        _pool = new PacketPool(4 * Batch);
        // Every slot gets a UDP frame of one of the flows; a rented slot keeps its bytes, so the benchmark only
        // sets the length back.
        var rented = new Packet[_pool.Count];
        for (int i = 0; i < rented.Length; i++)
        {
            rented[i] = _pool.Rent()!;
            rented[i].Load(UdpFrame((ushort)(1000 + i % Flows)));
        }
        foreach (Packet p in rented) p.Free();

        var device = new NetDevice("t0", 2);
        var spec = (NetemSpec)new NetemKind().ParseOptions(TcArgs.Parse(Options), TcParseContext.None)!;
        _qdisc = new NetemKind().Create(spec with { Seed = 1, Limit = 100_000 }, new QdiscContext(device, 0x0001_0000, 0xFFFF_FFFF));
        // Warm up the time queue's arrays to their steady size.
        EnqueueDequeue();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void EnqueueDequeue()
    {
        Qdisc q = _qdisc;
        TimeNs now = _now;
        for (int i = 0; i < Batch; i++)
        {
            Packet p = _pool.Rent()!;
            p.SetLength(FrameBytes);
            q.Enqueue(p, now);
        }
        while (true)
        {
            while (q.Dequeue(now) is { } p) p.Free();
            if (q.QueueLength == 0) break;
            now = q.NextWakeup(now);
        }
        _now = now + TimeNs.NsPerSecond;
    }

    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public void RentAndFreeOnly()
    {
        for (int i = 0; i < Batch; i++)
        {
            Packet p = _pool.Rent()!;
            p.SetLength(FrameBytes);
            p.Free();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _qdisc.Reset();
        _pool.Dispose();
    }

    private static byte[] UdpFrame(ushort sourcePort)
    {
        var f = new byte[FrameBytes];
        f[0] = 0x02;
        f[6] = 0x02;
        f[12] = 0x08;
        f[14] = 0x45;
        f[14 + 2] = (FrameBytes - 14) >> 8;
        f[14 + 3] = (FrameBytes - 14) & 0xFF;
        f[14 + 8] = 64;
        f[14 + 9] = 17;
        f[14 + 12] = 198; f[14 + 13] = 18; f[14 + 15] = 1;
        f[14 + 16] = 198; f[14 + 17] = 18; f[14 + 19] = 2;
        f[34] = (byte)(sourcePort >> 8);
        f[35] = (byte)sourcePort;
        f[36] = 0x07;
        f[37] = 0xD0;
        return f;
    }
}
