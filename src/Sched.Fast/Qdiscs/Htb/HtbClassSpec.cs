using Sched.Fast.Shaping;

namespace Sched.Fast.Qdiscs.Htb;

/// <summary>
/// An htb class's options: struct tc_htb_opt (rate and ceil ratespecs, buffer and cbuffer in psched ticks,
/// quantum, level as dumped, prio) plus TCA_HTB_RATE64/CEIL64 (0: absent).
/// </summary>
public sealed record HtbClassSpec(
    TcRateSpec Rate,
    TcRateSpec Ceil,
    uint BufferTicks,
    uint CBufferTicks,
    uint Quantum = 0,
    uint Level = 0,
    uint Prio = 0,
    ulong Rate64 = 0,
    ulong Ceil64 = 0) : ClassSpec
{
    public ulong RateBytesPerSecond => Rate64 != 0 ? Rate64 : Rate.Rate;
    public ulong CeilBytesPerSecond => Ceil64 != 0 ? Ceil64 : Ceil.Rate;
}
