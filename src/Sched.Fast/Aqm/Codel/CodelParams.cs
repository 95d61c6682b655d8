using System.Runtime.InteropServices;

namespace Sched.Fast.Aqm.Codel;

/// <summary>
/// struct codel_params (include/net/codel.h): the configuration one CoDel instance or a whole fq_codel shares.
/// Times are in <see cref="CodelTime"/> units.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct CodelParams
{
    /// <summary>The acceptable standing queue delay.</summary>
    public uint Target;

    /// <summary>Sojourn time above which packets are CE-marked regardless of state, or <see cref="CodelTime.Disabled"/>.</summary>
    public uint CeThreshold;

    /// <summary>The sliding window over which the minimum sojourn time must stay above target before dropping.</summary>
    public uint Interval;

    /// <summary>Backlog in bytes at or below which CoDel never drops (one MTU: the device's psched_mtu()).</summary>
    public uint Mtu;

    /// <summary>Mark ECN-capable packets with CE instead of dropping them.</summary>
    public bool Ecn;

    /// <summary>With a non-zero mask, ce_threshold applies only to packets whose DS field &amp; mask equals this.</summary>
    public byte CeThresholdSelector;

    public byte CeThresholdMask;

    /// <summary>codel_params_init(): interval 100 ms, target 5 ms, no ce_threshold, no ECN.</summary>
    public static CodelParams Default(uint mtu) => new()
    {
        Interval = CodelTime.FromMs(100),
        Target = CodelTime.FromMs(5),
        CeThreshold = CodelTime.Disabled,
        Mtu = mtu,
        Ecn = false,
    };
}
