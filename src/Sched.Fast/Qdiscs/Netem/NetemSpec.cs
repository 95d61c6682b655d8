namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// netem's options as netlink carries them (include/uapi/linux/pkt_sched.h): struct tc_netem_qopt plus the optional
/// TCA_NETEM_* attributes, each null when absent. What tc sends and what the kernel dumps are both this shape, and
/// absence matters: on a change the kernel keeps its old correlations, reorder, corruption, rate, ecn, slot and
/// tables when their attributes are missing (sch_netem.c netem_change()).
/// <para>
/// Probabilities and correlations are scaled to 2^32 (tc's set_percent()). Latency and jitter in the qopt are psched
/// ticks of 64 ns, the resolution tc 6.1 sends and prints; the 64-bit attributes carry nanoseconds.
/// </para>
/// </summary>
public sealed record NetemSpec : QdiscSpec
{
    /// <summary>tc's default limit (tc/q_netem.c).</summary>
    public const uint DefaultLimit = 1000;

    // ---- struct tc_netem_qopt ----

    /// <summary>The most packets the time queue holds (sch->limit).</summary>
    public uint Limit { get; init; } = DefaultLimit;

    /// <summary>The added delay in psched ticks (64 ns).</summary>
    public uint LatencyTicks { get; init; }

    /// <summary>The delay's random variation in psched ticks.</summary>
    public uint JitterTicks { get; init; }

    /// <summary>Random loss probability (0: none; ~0: all).</summary>
    public uint Loss { get; init; }

    /// <summary>Reordering gap: with reorder, every packet after gap-1 delayed ones may be sent at once.</summary>
    public uint Gap { get; init; }

    /// <summary>Duplication probability.</summary>
    public uint Duplicate { get; init; }

    // ---- optional attributes ----

    /// <summary>TCA_NETEM_LATENCY64: the delay in nanoseconds, overriding <see cref="LatencyTicks"/>.</summary>
    public long? LatencyNs { get; init; }

    /// <summary>TCA_NETEM_JITTER64: the jitter in nanoseconds, overriding <see cref="JitterTicks"/>.</summary>
    public long? JitterNs { get; init; }

    /// <summary>TCA_NETEM_CORR.</summary>
    public NetemCorrelationSpec? Correlation { get; init; }

    /// <summary>TCA_NETEM_REORDER.</summary>
    public NetemReorderSpec? Reorder { get; init; }

    /// <summary>TCA_NETEM_CORRUPT.</summary>
    public NetemCorruptSpec? Corrupt { get; init; }

    /// <summary>TCA_NETEM_RATE.</summary>
    public NetemRateSpec? Rate { get; init; }

    /// <summary>TCA_NETEM_RATE64: the rate in bytes per second when it does not fit 32 bits.</summary>
    public ulong? Rate64 { get; init; }

    /// <summary>TCA_NETEM_ECN: nonzero marks ECN-capable packets with CE instead of dropping them.</summary>
    public uint? Ecn { get; init; }

    /// <summary>TCA_NETEM_LOSS: a correlated loss model; absent means random loss.</summary>
    public NetemLossModelSpec? LossModel { get; init; }

    /// <summary>TCA_NETEM_SLOT.</summary>
    public NetemSlotSpec? Slot { get; init; }

    /// <summary>TCA_NETEM_DELAY_DIST (sent, never dumped).</summary>
    public NetemDistributionTable? DelayDistribution { get; init; }

    /// <summary>TCA_NETEM_SLOT_DIST (sent, never dumped).</summary>
    public NetemDistributionTable? SlotDistribution { get; init; }

    /// <summary>
    /// TCA_NETEM_PRNG_SEED (Linux 6.7, iproute2 6.7): the seed of the generator behind netem's random decisions.
    /// </summary>
    public ulong? Seed { get; init; }
}
