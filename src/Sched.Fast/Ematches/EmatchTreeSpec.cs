namespace Sched.Fast.Ematches;

/// <summary>
/// An ematch tree as tc sends it (TCA_EMATCH_TREE_HDR + TCA_EMATCH_TREE_LIST): the flattened list in which
/// containers point forward to their sub-sequences (tc/m_ematch.c flatten_tree()).
/// </summary>
public sealed record EmatchTreeSpec(IReadOnlyList<EmatchEntry> Entries, ushort ProgId = EmatchFlags.ProgTc)
{
    /// <summary>tcf_ematch_tree_hdr.nmatches.</summary>
    public int Count => Entries.Count;

    public bool Equals(EmatchTreeSpec? other) =>
        other is not null && ProgId == other.ProgId && Entries.SequenceEqual(other.Entries);

    public override int GetHashCode() => HashCode.Combine(ProgId, Entries.Count);
}
