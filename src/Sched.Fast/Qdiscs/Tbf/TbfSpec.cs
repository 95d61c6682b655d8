using Sched.Fast.Shaping;

namespace Sched.Fast.Qdiscs.Tbf;

/// <summary>
/// tbf's options as netlink carries them: struct tc_tbf_qopt (limit in bytes, rate and peakrate ratespecs, buffer
/// and mtu in psched ticks) plus the attributes TCA_TBF_RATE64/PRATE64 (0: absent; rates of 2^32 B/s and more) and
/// TCA_TBF_BURST/PBURST (bytes; tc sends them, the kernel then derives buffer and mtu from them and dumps only the
/// ticks). A dumped spec therefore has <see cref="Burst"/> and <see cref="PeakBurst"/> null.
/// </summary>
public sealed record TbfSpec(
    uint Limit,
    TcRateSpec Rate,
    TcRateSpec PeakRate,
    uint BufferTicks,
    uint MtuTicks,
    ulong Rate64 = 0,
    ulong PeakRate64 = 0,
    uint? Burst = null,
    uint? PeakBurst = null) : QdiscSpec
{
    /// <summary>The rate in bytes per second as tc prints it (the 64-bit attribute when present).</summary>
    public ulong RateBytesPerSecond => Rate64 != 0 ? Rate64 : Rate.Rate;

    /// <summary>The peak rate in bytes per second; 0 when there is none.</summary>
    public ulong PeakRateBytesPerSecond => PeakRate64 != 0 ? PeakRate64 : PeakRate.Rate;
}
