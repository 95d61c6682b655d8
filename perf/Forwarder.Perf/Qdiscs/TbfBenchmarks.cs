using BenchmarkDotNet.Attributes;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Tbf;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Forwarder.Perf.Qdiscs;

/// <summary>
/// tbf enqueue + dequeue per packet: a batch of 1024 packets in, then out, with simulated time advancing by each
/// packet's transmission time so the bucket always holds exactly enough (every dequeue conforms: the cost measured
/// is the shaper's bookkeeping, not waiting). Flows only change the packets' ports; tbf keeps one FIFO.
/// Run: dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*TbfBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class TbfBenchmarks
{
    private const int Batch = 1024;
    private ShaperBenchmarkPackets _packets = null!;
    private TbfQdisc _tbf = null!;
    private long _nowNs;

    [Params(1, 1024)]
    public int Flows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _packets = new ShaperBenchmarkPackets(Batch, Flows);
        var kind = new TbfKind();
        QdiscSpec? spec = kind.ParseOptions(TcArgs.Parse("rate 10gbit burst 300kb limit 1mb"), TcParseContext.None);
        _tbf = (TbfQdisc)kind.Create(spec, new QdiscContext(new NetDevice("t0", 2), 0x0001_0000, TcHandle.Root));
        _nowNs = 1_000_000_000;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tbf.Reset();
        _packets.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int EnqueueDequeue()
    {
        Packet[] packets = _packets.Packets;
        var now = new TimeNs(_nowNs);
        for (int i = 0; i < packets.Length; i++) _tbf.Enqueue(packets[i], now);
        int n = 0;
        for (int i = 0; i < packets.Length; i++)
        {
            now = new TimeNs(now.Value + 800); // 1000 bytes at 10 Gbit/s
            Packet? p = _tbf.Dequeue(now);
            if (p is null) break;
            p.Next = null;
            p.Prev = null;
            n++;
        }
        _nowNs = now.Value;
        return n;
    }
}
