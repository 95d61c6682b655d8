namespace Sched.Fast.Actions;

/// <summary>
/// An action's options (TCA_ACT_OPTIONS) as one immutable value: what a kind's parser produces and what the
/// kernel half dumps back. The common part is struct tc_gen (index, control verdict, refcnt, bindcnt) and the
/// times; each kind derives its own record (<c>GactSpec</c>, <c>MirredSpec</c>).
/// </summary>
public abstract record ActionSpec
{
    /// <summary>tc_gen.index: 0 asks the kernel to pick the lowest free index.</summary>
    public uint Index { get; init; }

    /// <summary>tc_gen.action: the control verdict (TC_ACT_*, jump or goto chain).</summary>
    public int Control { get; init; }

    /// <summary>tc_gen.refcnt as dumped (filled by the kernel half).</summary>
    public int RefCount { get; init; }

    /// <summary>tc_gen.bindcnt as dumped (filled by the kernel half).</summary>
    public int BindCount { get; init; }

    /// <summary>The TCA_*_TM attribute as dumped, or null in a parsed request.</summary>
    public ActionTm? Tm { get; init; }
}
