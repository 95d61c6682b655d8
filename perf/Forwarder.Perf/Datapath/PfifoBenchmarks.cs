using BenchmarkDotNet.Attributes;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Fifo;
using Sched.Fast.Qdiscs.PfifoFast;
using Sched.Fast.Tc;
using Sched.Fast.Time;

namespace Forwarder.Perf.Datapath;

/// <summary>Enqueue then dequeue of a burst through pfifo and pfifo_fast (the default root), per packet.</summary>
[MemoryDiagnoser]
public class PfifoBenchmarks
{
    private const int Burst = 32;
    private PacketPool _pool = null!;
    private Qdisc _pfifo = null!;
    private Qdisc _pfifoFast = null!;
    private readonly Packet[] _packets = new Packet[Burst];

    [GlobalSetup]
    public void Setup()
    {
        _pool = new PacketPool(256);
        var device = new NetDevice("bench0", 2);
        _pfifo = new PfifoKind().Create(null, new QdiscContext(device, 0x10000, TcHandle.Root));
        _pfifoFast = new PfifoFastKind().Create(null, new QdiscContext(device, 0, TcHandle.Root));
        for (int i = 0; i < Burst; i++)
        {
            _packets[i] = _pool.Rent()!;
            _packets[i].SetData(_pool.Headroom, 64);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Burst)]
    public void Pfifo_enqueue_dequeue() => Cycle(_pfifo);

    [Benchmark(OperationsPerInvoke = Burst)]
    public void PfifoFast_enqueue_dequeue() => Cycle(_pfifoFast);

    private void Cycle(Qdisc q)
    {
        TimeNs now = new(1);
        for (int i = 0; i < Burst; i++) q.Enqueue(_packets[i], now);
        for (int i = 0; i < Burst; i++) _packets[i] = q.Dequeue(now)!;
    }
}
