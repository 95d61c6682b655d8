using Sched.Fast.Packets;

namespace Forwarder.Perf.Qdiscs;

/// <summary>
/// Pre-built packets for the shaper benchmarks: one per flow, 1000-byte frames whose skb->priority names the flow's
/// htb class (1:1 + flow) and whose source port tells flows apart. Rented once; each operation enqueues and
/// dequeues the same packets again, so the pool is not on the measured path.
/// </summary>
internal sealed class ShaperBenchmarkPackets : IDisposable
{
    public ShaperBenchmarkPackets(int count, int flows)
    {
        Pool = new PacketPool(count + 16);
        Packets = new Packet[count];
        for (int i = 0; i < count; i++)
        {
            Packet p = Pool.Rent() ?? throw new InvalidOperationException("pool too small");
            p.SetData(Pool.Headroom, 1000);
            int flow = i % flows;
            p.Priority = 0x0001_0000u | (uint)(flow + 2);
            p.Meta.Cb[0] = (uint)flow;
            Packets[i] = p;
        }
    }

    public PacketPool Pool { get; }
    public Packet[] Packets { get; }

    public void Dispose() => Pool.Dispose();
}
