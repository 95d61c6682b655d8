namespace Forwarder.Ports;

/// <summary>The counters of a port at one instant, for rates between two snapshots.</summary>
public readonly record struct PortStatsSnapshot(
    long RxPackets, long RxBytes, long RxDropped, long TxPackets, long TxBytes, long TxDropped);
