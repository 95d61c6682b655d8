namespace Sched.Fast.Qdiscs.Netem;

/// <summary>struct tc_netem_corrupt (TCA_NETEM_CORRUPT): probability and correlation, scaled to 2^32.</summary>
public sealed record NetemCorruptSpec(uint Probability, uint Correlation);
