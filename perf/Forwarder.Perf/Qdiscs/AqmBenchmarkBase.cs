using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Time;

namespace Forwarder.Perf.Qdiscs;

/// <summary>
/// Enqueue + dequeue cost per packet for one qdisc kind: each operation enqueues a burst of <see cref="Burst"/>
/// packets and dequeues them again, so the figure is ns per packet for the pair. Packets come round-robin from a
/// ring of pre-built IPv4/UDP frames spread over <see cref="Flows"/> flows (distinct source ports, priorities
/// 0..15). The cached flow hash is cleared before each enqueue, so flow-hashing kinds pay for the hash as a
/// freshly received packet would. Simulated time advances 1 us per burst: nothing waits long enough for CoDel to
/// act, so this is the steady state of an uncongested queue.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public abstract class AqmBenchmarkBase
{
    public const int Burst = 64;
    private const int Ring = 2048;

    private PacketPool _pool = null!;
    private Packet[] _ring = null!;
    private int _next;
    private Qdisc _qdisc = null!;
    private TimeNs _now = new(1_000_000_000);

    [Params(1, 1024)]
    public int Flows { get; set; }

    protected abstract Qdisc Create(QdiscContext context);

    [GlobalSetup]
    public void Setup()
    {
        _pool = new PacketPool(Ring + Burst);
        var device = new NetDevice("bench0", 2) { TxQueueLength = 4096 };
        _qdisc = Create(new QdiscContext(device, 0x0001_0000, 0xFFFF_FFFF));
        _ring = new Packet[Ring];
        Span<byte> frame = stackalloc byte[1000];
        for (int i = 0; i < Ring; i++)
        {
            int flow = i % Flows;
            BuildUdp(frame, (ushort)(1024 + flow));
            Packet p = _pool.Rent()!;
            p.Load(frame);
            p.Protocol = 0x0800;
            p.Priority = (uint)(flow & 15);
            _ring[i] = p;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _qdisc.Reset();
        _pool.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Burst)]
    public int EnqueueDequeue()
    {
        Qdisc q = _qdisc;
        TimeNs now = _now;
        int start = _next;
        for (int i = 0; i < Burst; i++)
        {
            Packet p = _ring[(start + i) & (Ring - 1)];
            p.Meta.HashValid = 0;
            q.Enqueue(p, now);
        }
        int n = 0;
        for (int i = 0; i < Burst; i++)
        {
            Packet? p = q.Dequeue(now);
            if (p is null) break;
            // the ring keeps ownership: put the same packet back where the next bursts will take it
            _ring[(start + n) & (Ring - 1)] = p;
            n++;
        }
        _next = (start + Burst) & (Ring - 1);
        _now = now + 1000;
        return n;
    }

    private static void BuildUdp(Span<byte> f, ushort srcPort)
    {
        f.Clear();
        f[0] = 0x02; f[5] = 0x02; f[6] = 0x02; f[11] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], 0x0800);
        Span<byte> ip = f[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(f.Length - 14));
        ip[8] = 64;
        ip[9] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], 0xC6120001);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], 0xC6120002);
        Span<byte> udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 5201);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(f.Length - 34));
    }
}
