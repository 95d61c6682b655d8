namespace Sched.Fast.Qdiscs.Prio;

/// <summary>
/// struct tc_prio_qopt: a number of bands and the priomap (skb->priority &amp; TC_PRIO_MAX -> band): prio's options,
/// and the form in which pfifo_fast dumps its fixed three bands and default map.
/// </summary>
public sealed record PrioSpec(int Bands, byte[] Priomap) : QdiscSpec
{
    public const int PrioMax = 15; // TC_PRIO_MAX
    public const int MaxBands = 16; // TCQ_PRIO_BANDS
    public const int MinBands = 2;  // TCQ_MIN_PRIO_BANDS

    /// <summary>sch_generic.c sch_default_prio2band.</summary>
    public static readonly byte[] DefaultPriomap = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

    public bool Equals(PrioSpec? other) =>
        other is not null && Bands == other.Bands && Priomap.AsSpan().SequenceEqual(other.Priomap);

    public override int GetHashCode() => HashCode.Combine(Bands, Priomap.Length);
}
