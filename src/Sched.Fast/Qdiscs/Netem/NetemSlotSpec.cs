namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// struct tc_netem_slot (TCA_NETEM_SLOT): transmission slots. Either a uniform gap between slots
/// (<see cref="MinDelayNs"/>..<see cref="MaxDelayNs"/>) or, with a slot distribution table, a gap of
/// <see cref="DistDelayNs"/> with jitter <see cref="DistJitterNs"/>; each slot sends at most
/// <see cref="MaxPackets"/> packets and <see cref="MaxBytes"/> bytes (0: no limit).
/// </summary>
public sealed record NetemSlotSpec(long MinDelayNs, long MaxDelayNs, int MaxPackets, int MaxBytes, long DistDelayNs,
    long DistJitterNs);
