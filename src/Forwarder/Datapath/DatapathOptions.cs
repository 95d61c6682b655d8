namespace Forwarder.Datapath;

/// <summary>How the datapath runs.</summary>
public sealed record DatapathOptions
{
    /// <summary>
    /// Packets per receive or transmit burst. Large enough that one send() kick covers a burst of a flood (a syscall
    /// per burst is the main per-burst cost).
    /// </summary>
    public int BurstSize { get; init; } = 256;

    /// <summary>
    /// How long an idle thread keeps polling the ports before it parks in ppoll(2). Zero by default: the rings wake
    /// the thread for each frame that lands (TPACKET_V2, pcap in immediate mode), so a spin saves only a wake-up
    /// latency and costs CPU per packet.
    /// </summary>
    public TimeSpan SpinBeforePark { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long before a qdisc's deadline a parked thread wakes up to spin the rest of the way, so the qdisc is
    /// dequeued at its deadline rather than one scheduler wake-up latency after it (ppoll(2) wakes 20-40 µs late on
    /// an idle core of this VM, much later on a busy one). Spinning happens only when a deadline is this close.
    /// </summary>
    public TimeSpan WakeupSpin { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>
    /// The longest park. Link changes wake the thread through netlink, so this only bounds how stale the kernel's
    /// receive drop counters may get.
    /// </summary>
    public TimeSpan MaxPark { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often links are looked at when netlink cannot tell (no socket) or while a port is down or gone.</summary>
    public TimeSpan LinkPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest park when a port has no descriptor to wait on (in-memory and file ports).</summary>
    public TimeSpan MaxParkWithoutDescriptors { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The nice value of the datapath thread (setpriority(2) on its thread id), when the process may raise it (root or
    /// CAP_SYS_NICE). A forwarder that is not scheduled for longer than its receive ring can buffer loses packets; on a
    /// busy machine a higher priority keeps it scheduled. It parks when idle, so it takes no CPU from anyone then.
    /// Null leaves the thread's priority alone.
    /// </summary>
    public int? ThreadNice { get; init; } = -5;

    /// <summary>
    /// The EEVDF slice the datapath thread asks for (sched_setattr(2) with SCHED_OTHER and sched_runtime, Linux 6.12+):
    /// a task with a shorter slice gets an earlier virtual deadline and preempts a running task when it wakes
    /// (PREEMPT_SHORT), so a wake-up at a qdisc deadline is not held behind another task's 3 ms slice on a busy
    /// core. Not a real-time priority: its share of the CPU stays that of its nice value. The kernel clamps it to
    /// 0.1-100 ms; older kernels ignore it. Null leaves the default slice.
    /// </summary>
    public TimeSpan? ThreadSlice { get; init; } = TimeSpan.FromMicroseconds(100);

    /// <summary>Packets that redirects to an ingress may hold back for processing after the current burst (netdev_max_backlog).</summary>
    public int IngressBacklogLimit { get; init; } = 1000;
}
