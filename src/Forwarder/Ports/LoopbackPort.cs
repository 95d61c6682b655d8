using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Forwarder.Ports;

/// <summary>
/// An in-memory port: frames sent go into the connected peer's receive ring (like a veth pair), or are counted and
/// discarded when there is no peer; <see cref="InjectRx"/> delivers a frame as if the wire had. It runs the same
/// receive path as the real ports (<see cref="RxFrameImporter"/>) and allocates nothing per packet, so the datapath
/// can be tested and measured without a kernel.
/// </summary>
public sealed class LoopbackPort : IPort
{
    private readonly FrameRing _rx;
    private readonly RxFrameImporter _importer;
    private LoopbackPort? _peer;

    /// <param name="rxSlotBytes">The largest frame the receive ring holds (raise it to inject GRO super-frames).</param>
    public LoopbackPort(string name, int ifIndex, PacketPool pool, int mtu = 1500, int ringFrames = 1024, int txQueueLength = 1000,
        int rxSlotBytes = 0)
    {
        Name = name;
        Device = new NetDevice(name, ifIndex, mtu, txQueueLength);
        _rx = new FrameRing(ringFrames, Math.Max(rxSlotBytes, Math.Max(mtu + 32, 2048)));
        _importer = new RxFrameImporter(pool, Device, Stats, [0x02, 0, 0, 0, 0, (byte)ifIndex]);
    }

    /// <summary>Two ports joined like a veth pair.</summary>
    public static (LoopbackPort A, LoopbackPort B) CreatePair(string nameA, int ifIndexA, PacketPool poolA,
        string nameB, int ifIndexB, PacketPool poolB, int mtu = 1500, int rxSlotBytes = 0)
    {
        var a = new LoopbackPort(nameA, ifIndexA, poolA, mtu, rxSlotBytes: rxSlotBytes);
        var b = new LoopbackPort(nameB, ifIndexB, poolB, mtu, rxSlotBytes: rxSlotBytes);
        a._peer = b;
        b._peer = a;
        return (a, b);
    }

    public string Name { get; }
    public NetDevice Device { get; }
    public PortStats Stats { get; } = new();
    public PortStatus Status { get; set; } = PortStatus.Up;
    public PacketPool Pool => _importer.Pool;
    public int TxReadinessFd => -1;
    public bool CanReceive => true;
    public int ReadinessFd => -1;

    /// <summary>Frames waiting to be received.</summary>
    public int PendingRx => _rx.Count;

    /// <summary>Delivers <paramref name="frame"/> to this port's receive side; false when its ring is full.</summary>
    public bool InjectRx(ReadOnlySpan<byte> frame) => _rx.TryWrite(frame);

    public int Receive(Span<Packet> burst, TimeNs now)
    {
        int n = 0;
        while (n < burst.Length && _rx.TryPeek(out Span<byte> frame))
        {
            RxFrameInfo info = RxFrameInfo.Plain(now.Value);
            int produced = _importer.Import(frame, in info, burst[n..]);
            if (produced < 0) break;
            _rx.Advance();
            n += produced;
        }
        return n;
    }

    public int TxSpace(int max) => _peer is null ? max : Math.Min(max, _peer._rx.Capacity - _peer._rx.Count);

    public int Send(ReadOnlySpan<Packet> packets, TimeNs now)
    {
        int accepted = 0;
        foreach (Packet p in packets)
        {
            if (Status != PortStatus.Up || !TxFrameWriter.FitsMtu(p, Device.Mtu))
            {
                Stats.TxDropped++;
                p.Free();
                accepted++;
                continue;
            }
            if (_peer is not null)
            {
                bool ok = p.Meta.VlanPresent == 0 ? _peer._rx.TryWrite(p.Data) : WriteTagged(p);
                if (!ok) break;
            }
            Stats.TxPackets++;
            Stats.TxBytes += TxFrameWriter.WireLength(p);
            p.Free();
            accepted++;
        }
        return accepted;
    }

    private bool WriteTagged(Packet p)
    {
        Span<byte> frame = stackalloc byte[TxFrameWriter.WireLength(p)];
        TxFrameWriter.Write(p, frame);
        return _peer!._rx.TryWrite(frame);
    }

    public void Flush() { }

    public PortStatus RefreshStatus() => Status;

    public void Dispose() { }

    public override string ToString() => $"{Name} (loopback)";
}
