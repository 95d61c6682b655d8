namespace Sched.Fast.Actions.Gact;

/// <summary>
/// struct tc_gact_p: the random part of gact. With probability 1/<see cref="Value"/> (netrand) or on every
/// <see cref="Value"/>th packet (determ) the action returns <see cref="Control"/> instead of its own verdict.
/// </summary>
public readonly record struct GactProb(GactRandomType Type, int Control, ushort Value);
