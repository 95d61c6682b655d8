namespace Sched.Fast.Shaping;

/// <summary>
/// struct tc_ratespec, as tc sends it and the kernel dumps it: a 32-bit rate in bytes per second (rates of 2^32 B/s
/// and more travel in a separate 64-bit attribute, and this field then holds ~0U), the per-packet overhead, the
/// minimum packet unit, the link layer and the rate table's cell size. The kernel dumps CellLog and CellAlign as 0
/// (psched_ratecfg_getrate() clears them), which is why tc -d prints "burst 1600b/1".
/// </summary>
public readonly record struct TcRateSpec(
    uint Rate,
    ushort Overhead = 0,
    ushort Mpu = 0,
    LinkLayer LinkLayer = LinkLayer.Ethernet,
    byte CellLog = 0,
    short CellAlign = 0)
{
    /// <summary>The rate in bytes per second, taking the 64-bit attribute when present (max_t(u64, rate, rate64)).</summary>
    public ulong EffectiveRate(ulong rate64) => Math.Max(Rate, rate64);

    /// <summary>tc's 32-bit field for a 64-bit rate: the rate, or ~0U when it does not fit.</summary>
    public static uint Clamp32(ulong rateBytesPerSecond) =>
        rateBytesPerSecond >= 1UL << 32 ? uint.MaxValue : (uint)rateBytesPerSecond;
}
