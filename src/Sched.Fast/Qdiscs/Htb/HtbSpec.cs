namespace Sched.Fast.Qdiscs.Htb;

/// <summary>
/// htb's qdisc options: struct tc_htb_glob (rate2quantum, defcls; direct_pkts as the kernel dumps it; version and
/// debug are fixed/ignored and not kept) plus TCA_HTB_DIRECT_QLEN (null: absent, the kernel then uses txqueuelen)
/// and TCA_HTB_OFFLOAD.
/// </summary>
public sealed record HtbSpec(
    uint Rate2Quantum = 10,
    uint DefaultClass = 0,
    uint? DirectQueueLength = null,
    uint DirectPackets = 0,
    bool Offload = false) : QdiscSpec
{
    /// <summary>HTB_VER as the kernel dumps it (printed "ver 3.17").</summary>
    public const uint KernelVersion = 0x30011;
}
