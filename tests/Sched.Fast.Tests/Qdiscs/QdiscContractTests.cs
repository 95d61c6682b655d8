using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Tests.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs;

/// <summary>
/// The contract every qdisc keeps (DESIGN section 5), as one abstract suite with a sealed subclass per kind:
/// conservation (enqueued = sent + dropped + backlog, and every packet freed exactly once), FIFO order within a flow
/// where the kind promises it, reset empties, peek agrees with dequeue, counters agree with what moved, and the
/// qdisc's own invariants hold after every operation. Time is simulated.
/// </summary>
public abstract class QdiscContractTests : IDisposable
{
    protected QdiscContractTests()
    {
        Pool = new PacketPool(PoolSize);
        Device = new NetDevice("t0", 2) { TxQueueLength = 100 };
        Clock = new ManualClock(new TimeNs(1_000_000_000));
    }

    protected const int PoolSize = 4096;
    protected PacketPool Pool { get; }
    protected NetDevice Device { get; }
    protected ManualClock Clock { get; }

    /// <summary>A fresh qdisc of the kind under test, attached as root of <see cref="Device"/>.</summary>
    protected abstract Qdisc CreateQdisc();

    /// <summary>Whether packets of one flow leave in the order they arrived.</summary>
    protected virtual bool PreservesFlowOrder => true;

    /// <summary>Whether the kind counts what it sends and drops (noqueue, like the kernel's, counts nothing).</summary>
    protected virtual bool CountsTraffic => true;

    /// <summary>Whether the kind may hold packets back until later (shapers, delay): tests then advance time.</summary>
    protected virtual bool MayThrottle => false;

    protected QdiscContext RootContext() => new(Device, 0x0001_0000, 0xFFFF_FFFF);

    public void Dispose()
    {
        Pool.Dispose();
        GC.SuppressFinalize(this);
    }

    private Packet MakePacket(Random rng, int flows, out int flow)
    {
        flow = rng.Next(flows);
        int size = rng.Next(2) == 0 ? 64 + rng.Next(64) : 64 + rng.Next(1451);
        Packet p = TestFrames.Packet(Pool, size, srcPort: (ushort)(1000 + flow), priority: (uint)rng.Next(16));
        p.Meta.Cb[0] = (uint)flow;
        return p;
    }

    /// <summary>Dequeues everything that can leave now; returns the packets (caller frees).</summary>
    private List<Packet> DrainNow(Qdisc q)
    {
        var list = new List<Packet>();
        while (q.Dequeue(Clock.Now) is { } p)
        {
            q.AssertInvariants();
            list.Add(p);
        }
        return list;
    }

    /// <summary>Dequeues until empty, advancing simulated time to each wake-up the qdisc asks for.</summary>
    private List<Packet> DrainAll(Qdisc q, long maxSimulatedNs = 600L * TimeNs.NsPerSecond)
    {
        var list = new List<Packet>();
        TimeNs deadline = Clock.Now + maxSimulatedNs;
        while (q.QueueLength > 0 && Clock.Now < deadline)
        {
            list.AddRange(DrainNow(q));
            if (q.QueueLength == 0) break;
            TimeNs wake = q.NextWakeup(Clock.Now);
            if (wake.IsNever || wake <= Clock.Now) Clock.AdvanceNs(TimeNs.NsPerMs);
            else Clock.AdvanceTo(wake);
        }
        return list;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 2)]
    [InlineData(64, 3)]
    public void Conserves_packets_and_bytes_and_frees_each_packet_exactly_once(int flows, int seed)
    {
        var rng = new Random(seed);
        Qdisc q = CreateQdisc();
        long enqueued = 0, enqueuedBytes = 0, sentPackets = 0, sentBytes = 0;
        for (int round = 0; round < 200; round++)
        {
            int burst = rng.Next(1, 40);
            for (int i = 0; i < burst && Pool.Available > 64; i++)
            {
                Packet p = MakePacket(rng, flows, out _);
                enqueued++;
                enqueuedBytes += p.QdiscLength;
                q.Enqueue(p, Clock.Now);
                q.AssertInvariants();
            }
            int take = rng.Next(0, 40);
            for (int i = 0; i < take; i++)
            {
                Packet? p = q.Dequeue(Clock.Now);
                q.AssertInvariants();
                if (p is null) break;
                sentPackets++;
                sentBytes += p.QdiscLength;
                p.Free();
            }
            if (MayThrottle || rng.Next(4) == 0) Clock.AdvanceNs(rng.Next(1, 2_000_000));
        }
        foreach (Packet p in DrainAll(q))
        {
            sentPackets++;
            sentBytes += p.QdiscLength;
            p.Free();
        }

        if (CountsTraffic)
        {
            Assert.Equal((ulong)sentPackets, q.Stats.Packets);
            Assert.Equal((ulong)sentBytes, q.Stats.Bytes);
            Assert.Equal(enqueued, sentPackets + q.Stats.Drops + q.QueueLength);
        }
        Assert.Equal(PoolSize - q.QueueLength, Pool.Available);
        q.Reset();
        Assert.Equal(PoolSize, Pool.Available);
    }

    [Fact]
    public void Keeps_arrival_order_within_a_flow()
    {
        if (!PreservesFlowOrder) return;
        var rng = new Random(7);
        Qdisc q = CreateQdisc();
        var nextSeq = new Dictionary<uint, uint>();
        var lastSeen = new Dictionary<uint, uint>();
        uint seq = 0;
        for (int round = 0; round < 100; round++)
        {
            for (int i = 0; i < 10; i++)
            {
                Packet p = MakePacket(rng, 4, out int flow);
                p.Meta.Cb[1] = ++seq;
                q.Enqueue(p, Clock.Now);
            }
            foreach (Packet p in DrainNow(q).Concat(round % 10 == 9 ? DrainAll(q) : []))
            {
                uint flow = p.Meta.Cb[0];
                uint s = p.Meta.Cb[1];
                if (lastSeen.TryGetValue(flow, out uint prev)) Assert.True(s > prev, $"flow {flow}: {s} after {prev}");
                lastSeen[flow] = s;
                p.Free();
            }
            Clock.AdvanceNs(1_000_000);
        }
        _ = nextSeq;
        q.Reset();
    }

    [Fact]
    public void Reset_empties_the_queue_and_returns_every_packet()
    {
        var rng = new Random(3);
        Qdisc q = CreateQdisc();
        for (int i = 0; i < 50; i++) q.Enqueue(MakePacket(rng, 8, out _), Clock.Now);
        q.Reset();
        q.AssertInvariants();
        Assert.Equal(0, q.QueueLength);
        Assert.Equal(0u, q.BacklogBytes);
        Assert.Null(q.Dequeue(Clock.Now));
        Assert.Equal(PoolSize, Pool.Available);
    }

    [Fact]
    public void Peek_returns_the_packet_the_next_dequeue_returns()
    {
        var rng = new Random(5);
        Qdisc q = CreateQdisc();
        for (int i = 0; i < 30; i++) q.Enqueue(MakePacket(rng, 4, out _), Clock.Now);
        for (int i = 0; i < 200 && q.QueueLength > 0; i++)
        {
            int qlen = q.QueueLength;
            Packet? peeked = q.Peek(Clock.Now);
            q.AssertInvariants();
            Assert.Equal(qlen, q.QueueLength);
            Packet? p = q.Dequeue(Clock.Now);
            q.AssertInvariants();
            Assert.Same(peeked, p);
            if (p is null) { Clock.AdvanceNs(5_000_000); continue; }
            p.Free();
        }
        q.Reset();
    }

    [Fact]
    public void Empty_qdisc_dequeues_nothing_and_needs_no_wakeup()
    {
        Qdisc q = CreateQdisc();
        Assert.Null(q.Dequeue(Clock.Now));
        Assert.Null(q.Peek(Clock.Now));
        Assert.True(q.NextWakeup(Clock.Now).IsNever);
        Assert.Equal(0, q.QueueLength);
    }

    [Fact]
    public void Dump_describes_the_qdisc_and_create_from_it_gives_the_same_dump()
    {
        Qdisc q = CreateQdisc();
        QdiscSpec spec = q.Dump();
        QdiscKind kind = QdiscKinds.Find(q.Kind) ?? throw new Xunit.Sdk.XunitException($"{q.Kind} is not registered");
        Qdisc again = kind.Create(spec, RootContext());
        Assert.Equal(spec, again.Dump());
    }
}
