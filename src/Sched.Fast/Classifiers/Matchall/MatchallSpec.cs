using Sched.Fast.Actions;

namespace Sched.Fast.Classifiers.Matchall;

/// <summary>matchall's options (TCA_MATCHALL_*): classid, offload flags, actions, and the hit counter when dumped.</summary>
public sealed record MatchallSpec : FilterSpec
{
    /// <summary>TCA_MATCHALL_CLASSID, or null.</summary>
    public uint? ClassId { get; init; }

    /// <summary>TCA_MATCHALL_FLAGS (TCA_CLS_FLAGS_*), or null when absent.</summary>
    public uint? Flags { get; init; }

    /// <summary>TCA_MATCHALL_ACT, or null.</summary>
    public IReadOnlyList<ActionItem>? Actions { get; init; }

    /// <summary>TCA_MATCHALL_PCNT (struct tc_matchall_pcnt rhit) as dumped.</summary>
    public ulong? RuleHits { get; init; }
}
