using System.Runtime.CompilerServices;

namespace Sched.Fast.Shaping;

/// <summary>
/// struct psched_ratecfg (include/net/sch_generic.h): a rate prepared for the fast path. The time to send a packet
/// is <c>(len * Mult) &gt;&gt; Shift</c> nanoseconds, a reciprocal multiply chosen once so no division runs per
/// packet; overhead, mpu and the ATM cell tax are applied first. Shared by tbf, htb and police.
/// </summary>
public readonly struct PschedRate
{
    private PschedRate(ulong rateBytesPerSecond, uint mult, byte shift, ushort overhead, ushort mpu, LinkLayer linkLayer)
    {
        RateBytesPerSecond = rateBytesPerSecond;
        Mult = mult;
        Shift = shift;
        Overhead = overhead;
        Mpu = mpu;
        LinkLayer = linkLayer;
    }

    public ulong RateBytesPerSecond { get; }
    public uint Mult { get; }
    public byte Shift { get; }
    public ushort Overhead { get; }
    public ushort Mpu { get; }
    public LinkLayer LinkLayer { get; }

    public bool IsZero => RateBytesPerSecond == 0;

    /// <summary>
    /// psched_ratecfg_precompute() (net/sched/sch_generic.c): rate = max(conf.rate, rate64), then the largest
    /// shift for which NSEC_PER_SEC &lt;&lt; shift / rate still fits 31 bits (psched_ratecfg_precompute__()).
    /// </summary>
    public static PschedRate Precompute(in TcRateSpec conf, ulong rate64)
    {
        ulong rate = conf.EffectiveRate(rate64);
        uint mult = 1;
        byte shift = 0;
        if (rate > 0)
        {
            ulong factor = (ulong)Psched.NsPerSecond;
            for (;;)
            {
                mult = (uint)(factor / rate);
                if ((mult & (1U << 31)) != 0 || (factor & (1UL << 63)) != 0) break;
                factor <<= 1;
                shift++;
            }
        }
        return new PschedRate(rate, mult, shift, conf.Overhead, conf.Mpu, (LinkLayer)((byte)conf.LinkLayer & 0x0F));
    }

    /// <summary>psched_l2t_ns(): nanoseconds to send <paramref name="length"/> bytes at this rate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong LengthToNs(uint length)
    {
        uint len = unchecked(length + Overhead);
        if (len < Mpu) len = Mpu;
        if (LinkLayer == LinkLayer.Atm) len = (len + 47) / 48 * 53; // DIV_ROUND_UP(len, 48) * 53
        return ((ulong)len * Mult) >> Shift;
    }

    /// <summary>
    /// psched_ns_t2l() (net/sched/sch_tbf.c): the bytes that can be sent in <paramref name="ns"/>, net of ATM cell
    /// tax and overhead. The product wraps in 64 bits as the kernel's does.
    /// </summary>
    public ulong NsToLength(ulong ns)
    {
        ulong len = unchecked(ns * RateBytesPerSecond) / (ulong)Psched.NsPerSecond;
        if (LinkLayer == LinkLayer.Atm) len = len / 53 * 48;
        return len > Overhead ? len - Overhead : 0;
    }

    /// <summary>psched_ratecfg_getrate(): the tc_ratespec the kernel dumps (cell_log and cell_align cleared).</summary>
    public TcRateSpec ToRateSpec() =>
        new(TcRateSpec.Clamp32(RateBytesPerSecond), Overhead, Mpu, LinkLayer);

    public override string ToString() => $"{RateBytesPerSecond} B/s (mult {Mult} shift {Shift})";
}
