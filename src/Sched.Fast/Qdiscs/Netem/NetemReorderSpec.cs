namespace Sched.Fast.Qdiscs.Netem;

/// <summary>struct tc_netem_reorder (TCA_NETEM_REORDER): probability and correlation, scaled to 2^32.</summary>
public sealed record NetemReorderSpec(uint Probability, uint Correlation);
