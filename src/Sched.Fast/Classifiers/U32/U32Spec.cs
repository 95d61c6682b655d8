using Sched.Fast.Actions;

namespace Sched.Fast.Classifiers.U32;

/// <summary>u32's options (TCA_U32_*), as tc sends them and as the kernel dumps a key node or a hash table.</summary>
public sealed record U32Spec : FilterSpec
{
    /// <summary>TCA_U32_SEL, or null (tc sends it only when there was a "match").</summary>
    public U32Selector? Selector { get; init; }

    /// <summary>TCA_U32_HASH: the table (and bucket) a key node goes into.</summary>
    public uint? Hash { get; init; }

    public uint? ClassId { get; init; }

    /// <summary>TCA_U32_LINK: the hash table a matching node continues in.</summary>
    public uint? Link { get; init; }

    /// <summary>TCA_U32_DIVISOR: this request makes a hash table with that many buckets.</summary>
    public uint? Divisor { get; init; }

    /// <summary>TCA_U32_MARK value and mask, or null.</summary>
    public uint? MarkValue { get; init; }
    public uint? MarkMask { get; init; }

    /// <summary>The mark's success count, when dumped.</summary>
    public uint? MarkSuccess { get; init; }

    /// <summary>TCA_U32_FLAGS, or null.</summary>
    public uint? Flags { get; init; }

    /// <summary>TCA_U32_INDEV, or null.</summary>
    public string? InDev { get; init; }

    public IReadOnlyList<ActionItem>? Actions { get; init; }

    /// <summary>TCA_U32_PCNT, when dumped.</summary>
    public U32Counters? Counters { get; init; }
}
