namespace Sched.Fast.Qdiscs.PfifoFast;

/// <summary>
/// struct tc_prio_qopt: a number of bands and the priomap (skb->priority &amp; TC_PRIO_MAX -> band). pfifo_fast dumps
/// its fixed three bands and default map in this form; prio uses it as its options.
/// </summary>
public sealed record PrioSpec(int Bands, byte[] Priomap) : QdiscSpec
{
    public const int PrioMax = 15; // TC_PRIO_MAX

    /// <summary>sch_generic.c sch_default_prio2band.</summary>
    public static readonly byte[] DefaultPriomap = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

    public bool Equals(PrioSpec? other) =>
        other is not null && Bands == other.Bands && Priomap.AsSpan().SequenceEqual(other.Priomap);

    public override int GetHashCode() => HashCode.Combine(Bands, Priomap.Length);
}
