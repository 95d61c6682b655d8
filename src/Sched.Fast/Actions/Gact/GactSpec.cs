namespace Sched.Fast.Actions.Gact;

/// <summary>gact's options: struct tc_gact (index, verdict, counts) and, when random, struct tc_gact_p.</summary>
public sealed record GactSpec : ActionSpec
{
    /// <summary>TCA_GACT_PROB, or null when the action is not random.</summary>
    public GactProb? Prob { get; init; }
}
