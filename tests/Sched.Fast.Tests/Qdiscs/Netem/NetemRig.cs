using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;
using Sched.Fast.Qdiscs.Netem;
using Sched.Fast.Tc;
using Sched.Fast.Tests.Support;
using Sched.Fast.Time;

namespace Sched.Fast.Tests.Qdiscs.Netem;

/// <summary>A packet pool, a device and a simulated clock, and netem built from tc's words with a fixed seed.</summary>
internal sealed class NetemRig : IDisposable
{
    public NetemRig(int poolSize = 8192)
    {
        Pool = new PacketPool(poolSize);
        Device = new NetDevice("t0", 2) { TxQueueLength = 1000 };
        Clock = new ManualClock(new TimeNs(1_000_000_000));
    }

    public PacketPool Pool { get; }
    public NetDevice Device { get; }
    public ManualClock Clock { get; }
    public TimeNs Now => Clock.Now;

    public static NetemSpec Spec(string tcWords, ulong? seed = 1)
    {
        var spec = (NetemSpec)new NetemKind().ParseOptions(TcArgs.Parse(tcWords), TcParseContext.None)!;
        return seed is null ? spec : spec with { Seed = seed };
    }

    /// <summary>A root netem (handle 1:) with the options <paramref name="tcWords"/>, seeded for reproducibility.</summary>
    public NetemQdisc Netem(string tcWords, ulong? seed = 1, uint handle = 0x0001_0000, uint parent = 0xFFFF_FFFF) =>
        (NetemQdisc)new NetemKind().Create(Spec(tcWords, seed), new QdiscContext(Device, handle, parent));

    public Packet Packet(int bytes = 1000, ushort srcPort = 1000, byte tos = 0) =>
        TestFrames.Packet(Pool, bytes, srcPort: srcPort, tos: tos);

    /// <summary>Dequeues until the qdisc has nothing due now.</summary>
    public List<Packet> DrainNow(Qdisc q)
    {
        var list = new List<Packet>();
        while (q.Dequeue(Clock.Now) is { } p)
        {
            q.AssertInvariants();
            list.Add(p);
        }
        return list;
    }

    /// <summary>Dequeues everything, jumping the clock to each wake-up; returns (packet, departure) pairs.</summary>
    public List<(Packet Packet, TimeNs At)> DrainAll(Qdisc q)
    {
        var list = new List<(Packet, TimeNs)>();
        while (q.QueueLength > 0)
        {
            foreach (Packet p in DrainNow(q)) list.Add((p, Clock.Now));
            if (q.QueueLength == 0) break;
            TimeNs wake = q.NextWakeup(Clock.Now);
            Assert.False(wake.IsNever, "packets held but no wake-up asked for");
            Assert.True(wake > Clock.Now, $"wake-up {wake} is not after now {Clock.Now} yet nothing left");
            Clock.AdvanceTo(wake);
        }
        return list;
    }

    public static void FreeAll(IEnumerable<Packet> packets)
    {
        foreach (Packet p in packets) p.Free();
    }

    public void Dispose() => Pool.Dispose();
}
