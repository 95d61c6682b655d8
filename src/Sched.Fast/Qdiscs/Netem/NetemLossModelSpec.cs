namespace Sched.Fast.Qdiscs.Netem;

/// <summary>
/// A correlated loss model: a member of the TCA_NETEM_LOSS nest (<see cref="NetemStateLossSpec"/> or
/// <see cref="NetemGilbertElliottSpec"/>). Probabilities are scaled to 2^32.
/// </summary>
public abstract record NetemLossModelSpec;
