namespace Sched.Fast.Qdiscs.Netem;

/// <summary>struct tc_netem_corr (TCA_NETEM_CORR): the correlations of delay, random loss and duplication, scaled to 2^32.</summary>
public sealed record NetemCorrelationSpec(uint Delay, uint Loss, uint Duplicate);
