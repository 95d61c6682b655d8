using BenchmarkDotNet.Attributes;
using Forwarder.Ports;
using Sched.Fast.Packets;
using Sched.Fast.Packets.Wire;
using Sched.Fast.Time;
using DatapathEngine = Forwarder.Datapath.Datapath;

namespace Forwarder.Perf.Datapath;

/// <summary>
/// The userspace share of forwarding one 64-byte frame: copy from the receive side into a pooled packet, metadata,
/// ingress hook, pfifo_fast enqueue and dequeue, transmit copy, free; over in-memory ports, per packet.
/// </summary>
[MemoryDiagnoser]
public class LoopbackForwardingBenchmarks
{
    private const int Burst = 64;
    private PacketPool _pool = null!;
    private LoopbackPort _in = null!;
    private LoopbackPort _out = null!;
    private DatapathEngine _datapath = null!;
    private readonly byte[] _frame = new byte[64];

    [GlobalSetup]
    public void Setup()
    {
        _pool = new PacketPool(8192);
        _in = new LoopbackPort("in0", 2, _pool);
        _out = new LoopbackPort("out0", 3, _pool); // no peer: what it sends is counted and discarded
        _datapath = new DatapathEngine([_in, _out], [1, -1], Sched.Fast.Time.SystemClock.Instance);
        EthernetFrame.CreateUnchecked(_frame).EtherType = EtherType.Ipv4;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _datapath.Dispose();
        _pool.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Burst)]
    public void Forward_64_byte_frames()
    {
        for (int i = 0; i < Burst; i++) _in.InjectRx(_frame);
        _datapath.PollOnce(new TimeNs(1));
    }
}
