namespace Sched.Fast.Classifiers.U32;

/// <summary>struct tc_u32_pcnt as dumped: nodes visited (rcnt), terminal hits (rhit), and per-key matches.</summary>
public sealed record U32Counters(ulong RuleTried, ulong RuleHits, IReadOnlyList<ulong> KeyHits)
{
    public bool Equals(U32Counters? other) =>
        other is not null && RuleTried == other.RuleTried && RuleHits == other.RuleHits &&
        KeyHits.SequenceEqual(other.KeyHits);

    public override int GetHashCode() => HashCode.Combine(RuleTried, RuleHits);
}
