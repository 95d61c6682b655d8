namespace Forwarder.Ports;

/// <summary>
/// A port's counters. The datapath thread that owns the port is the only writer; the statistics line reads them
/// from another thread (64-bit loads are atomic, a slightly stale value is fine).
/// </summary>
public sealed class PortStats
{
    /// <summary>Packets handed to the datapath (a segmented super-frame counts once per segment).</summary>
    public long RxPackets;
    public long RxBytes;
    /// <summary>Frames the interface gave us, super-frames counted once.</summary>
    public long RxFrames;
    /// <summary>Frames lost before they became packets: kernel ring overruns, empty pool, runts, unsegmentable oversize.</summary>
    public long RxDropped;
    /// <summary>The kernel's share of <see cref="RxDropped"/> (tp_drops / ps_drop).</summary>
    public long RxKernelDrops;
    /// <summary>GRO/TSO super-frames split into segments.</summary>
    public long RxSegmented;
    /// <summary>Partial checksums completed.</summary>
    public long RxChecksumsCompleted;
    public long TxPackets;
    public long TxBytes;
    /// <summary>Packets the port could not send: link down, larger than the MTU, send errors.</summary>
    public long TxDropped;

    public PortStatsSnapshot Snapshot() => new(
        Volatile.Read(ref RxPackets), Volatile.Read(ref RxBytes), Volatile.Read(ref RxDropped),
        Volatile.Read(ref TxPackets), Volatile.Read(ref TxBytes), Volatile.Read(ref TxDropped));
}
