using Sched.Fast.Devices;
using Sched.Fast.Packets;
using Sched.Fast.Time;

namespace Forwarder.Ports;

/// <summary>
/// One network interface as the datapath drives it: bursts of packets in and out, a file descriptor to sleep on,
/// counters and link status. A port is used by one datapath thread at a time; only <see cref="Stats"/> and
/// <see cref="Status"/> are read from elsewhere.
/// </summary>
public interface IPort : IDisposable
{
    string Name { get; }

    /// <summary>The tc view of the interface: ifindex, MTU, txqueuelen, and its root and ingress qdiscs.</summary>
    NetDevice Device { get; }

    PortStats Stats { get; }

    /// <summary>The pool received packets are rented from.</summary>
    PacketPool Pool { get; }

    PortStatus Status { get; }

    /// <summary>A descriptor that polls readable when <see cref="Receive"/> may return packets; -1 when none.</summary>
    int ReadinessFd { get; }

    /// <summary>A descriptor that polls writable when a full transmit queue has room again; -1 when never full.</summary>
    int TxReadinessFd { get; }

    /// <summary>Whether this port receives (a port used only to send skips its receive side).</summary>
    bool CanReceive { get; }

    /// <summary>
    /// Fills <paramref name="burst"/> from the front with received packets (rented from the port's pool, metadata
    /// set: protocol, VLAN, ingress ifindex, arrival time, packet type) and returns how many. Never blocks.
    /// </summary>
    int Receive(Span<Packet> burst, TimeNs now);

    /// <summary>How many packets <see cref="Send"/> would accept now, at most <paramref name="max"/>.</summary>
    int TxSpace(int max);

    /// <summary>
    /// Queues packets for transmission. The port owns (and eventually frees) the first N, N returned; the caller
    /// keeps the rest. Packets it cannot send at all (larger than the MTU, link down) count in TxDropped and are
    /// freed, and count as accepted.
    /// </summary>
    int Send(ReadOnlySpan<Packet> packets, TimeNs now);

    /// <summary>Hands queued transmissions to the interface (one kick per burst).</summary>
    void Flush();

    /// <summary>Re-reads the link state and pending socket errors; cheap enough for every statistics tick.</summary>
    PortStatus RefreshStatus();
}
