using BenchmarkDotNet.Attributes;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Htb;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Forwarder.Perf.Qdiscs;

/// <summary>
/// htb enqueue + dequeue per packet with one leaf class per flow (1 or 1024 leaves of 1:1, each "rate 10gbit"
/// under a 10gbit parent, selected by skb->priority): a batch of 1024 packets in, then out, simulated time advancing
/// by each packet's transmission time, so classes stay within rate (can send) and no dequeue waits. With 1024
/// leaves every packet activates and deactivates its class (rb-tree insert and erase in the row).
/// Run: dotnet run -c Release --project perf/Forwarder.Perf -- --filter '*HtbBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class HtbBenchmarks
{
    private const int Batch = 1024;
    private ShaperBenchmarkPackets _packets = null!;
    private HtbQdisc _htb = null!;
    private long _nowNs;

    [Params(1, 1024)]
    public int Flows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _packets = new ShaperBenchmarkPackets(Batch, Flows);
        var kind = new HtbKind();
        var ctx = new QdiscContext(new NetDevice("t0", 2) { TxQueueLength = 10_000 }, 0x0001_0000, TcHandle.Root);
        _htb = (HtbQdisc)kind.Create(kind.ParseOptions(TcArgs.Parse(""), TcParseContext.None), ctx);
        _htb.AddClass(0x0001_0001, 0x0001_0000, kind.ParseClassOptions(TcArgs.Parse("rate 10gbit burst 300kb cburst 300kb"), TcParseContext.None));
        for (int flow = 0; flow < Flows; flow++)
        {
            ClassSpec? leaf = kind.ParseClassOptions(TcArgs.Parse("rate 10gbit burst 300kb cburst 300kb"), TcParseContext.None);
            _htb.AddClass(0x0001_0000u | (uint)(flow + 2), 0x0001_0001, leaf);
        }
        _nowNs = 1_000_000_000;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _htb.Reset();
        _packets.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int EnqueueDequeue()
    {
        Packet[] packets = _packets.Packets;
        var now = new TimeNs(_nowNs);
        for (int i = 0; i < packets.Length; i++) _htb.Enqueue(packets[i], now);
        int n = 0;
        for (int i = 0; i < packets.Length; i++)
        {
            now = new TimeNs(now.Value + 800); // 1000 bytes at 10 Gbit/s
            Packet? p = _htb.Dequeue(now);
            if (p is null) break;
            p.Next = null;
            p.Prev = null;
            n++;
        }
        _nowNs = now.Value;
        return n;
    }
}
