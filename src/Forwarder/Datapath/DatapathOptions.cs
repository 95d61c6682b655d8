namespace Forwarder.Datapath;

/// <summary>How the datapath runs.</summary>
public sealed record DatapathOptions
{
    /// <summary>
    /// Packets per receive or transmit burst. Large enough that one send() kick covers most of a TPACKET_V3 block
    /// (a syscall per burst is the main per-burst cost).
    /// </summary>
    public int BurstSize { get; init; } = 256;

    /// <summary>
    /// How long an idle thread keeps polling the ports before it parks in ppoll(2). Zero by default: TPACKET_V3
    /// hands frames over in blocks retired by a timer, so spinning between blocks burns CPU for nothing; a spin
    /// helps only latency with per-frame wake-ups (pcap in immediate mode) and costs CPU per packet.
    /// </summary>
    public TimeSpan SpinBeforePark { get; init; } = TimeSpan.Zero;

    /// <summary>The longest park: link status and pending control work are looked at least this often.</summary>
    public TimeSpan MaxPark { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest park when a port has no descriptor to wait on (in-memory and file ports).</summary>
    public TimeSpan MaxParkWithoutDescriptors { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The nice value of the datapath thread (setpriority(2) on its thread id), when the process may raise it (root or
    /// CAP_SYS_NICE). A forwarder that is not scheduled for longer than its receive ring can buffer loses packets; on a
    /// busy machine a higher priority keeps it scheduled. It parks when idle, so it takes no CPU from anyone then.
    /// Null leaves the thread's priority alone.
    /// </summary>
    public int? ThreadNice { get; init; } = -5;

    /// <summary>Packets that redirects to an ingress may hold back for processing after the current burst (netdev_max_backlog).</summary>
    public int IngressBacklogLimit { get; init; } = 1000;
}
