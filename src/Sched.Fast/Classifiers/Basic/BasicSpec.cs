using Sched.Fast.Actions;
using Sched.Fast.Ematches;

namespace Sched.Fast.Classifiers.Basic;

/// <summary>basic's options (TCA_BASIC_*): classid, the ematch tree, actions, and when dumped the counters.</summary>
public sealed record BasicSpec : FilterSpec
{
    /// <summary>TCA_BASIC_CLASSID, or null.</summary>
    public uint? ClassId { get; init; }

    /// <summary>TCA_BASIC_EMATCHES, or null (then every packet matches).</summary>
    public EmatchTreeSpec? Ematches { get; init; }

    /// <summary>TCA_BASIC_ACT, or null.</summary>
    public IReadOnlyList<ActionItem>? Actions { get; init; }

    /// <summary>TCA_BASIC_PCNT as dumped: filters tried, and matched.</summary>
    public ulong? Tried { get; init; }
    public ulong? Hits { get; init; }
}
