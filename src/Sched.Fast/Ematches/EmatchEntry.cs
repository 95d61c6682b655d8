namespace Sched.Fast.Ematches;

/// <summary>
/// One entry of the flat ematch list (a tcf_ematch_hdr + data): the kind id (0 for a container), flags (relation
/// to the next entry, invert), and either the kind's data or, for a container, the index of the sub-sequence.
/// </summary>
public sealed record EmatchEntry(ushort Kind, ushort Flags, EmatchData? Data, uint ContainerRef = 0)
{
    public ushort MatchId { get; init; }

    public bool IsContainer => Kind == EmatchFlags.Container;
    public ushort Relation => (ushort)(Flags & EmatchFlags.RelMask);
    public bool IsInverted => (Flags & EmatchFlags.Invert) != 0;
}
