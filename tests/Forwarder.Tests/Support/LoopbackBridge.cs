using Forwarder.Datapath;
using DatapathEngine = global::Forwarder.Datapath.Datapath;
using Forwarder.Ports;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Forwarder.Tests.Support;

/// <summary>
/// A bridge over two in-memory ports, each wired to an outside endpoint like a veth pair:
/// <c>OutsideA ⇄ A ═ datapath ═ B ⇄ OutsideB</c>. Tests inject on an outside endpoint's peer and read what
/// arrives on the other outside endpoint.
/// </summary>
public sealed class LoopbackBridge : IDisposable
{
    public LoopbackBridge(int poolPackets = 4096, DatapathOptions? options = null, int mtu = 1500, int rxSlotBytes = 0)
    {
        Pool = new PacketPool(poolPackets);
        OutsidePool = new PacketPool(poolPackets);
        (OutsideA, A) = LoopbackPort.CreatePair("outA", 90, OutsidePool, "a0", 2, Pool, mtu, rxSlotBytes);
        (B, OutsideB) = LoopbackPort.CreatePair("b0", 3, Pool, "outB", 91, OutsidePool, mtu, rxSlotBytes);
        Datapath = new DatapathEngine([A, B], [1, 0], Clock, options);
    }

    public ManualClock Clock { get; } = new(TimeNs.FromSeconds(1));
    public PacketPool Pool { get; }
    public PacketPool OutsidePool { get; }
    public LoopbackPort A { get; }
    public LoopbackPort B { get; }
    public LoopbackPort OutsideA { get; }
    public LoopbackPort OutsideB { get; }
    public DatapathEngine Datapath { get; }

    /// <summary>Frames that reached an outside endpoint, as byte arrays (drains it).</summary>
    public static List<byte[]> Drain(LoopbackPort outside)
    {
        var got = new List<byte[]>();
        var burst = new Packet[64];
        int n;
        while ((n = outside.Receive(burst, TimeNs.Zero)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                byte[] wire = new byte[TxFrameWriter.WireLength(burst[i])];
                TxFrameWriter.Write(burst[i], wire);
                got.Add(wire);
                burst[i].Free();
            }
        }
        return got;
    }

    public void Dispose()
    {
        Datapath.Dispose();
        Pool.Dispose();
        OutsidePool.Dispose();
    }
}
