namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// struct tc_netem_gimodel (NETEM_LOSS_GI, "loss state"): the 4-state Markov model's transition probabilities.
/// </summary>
public sealed record NetemStateLossSpec(uint P13, uint P31, uint P32, uint P14, uint P23) : NetemLossModelSpec;
