namespace Sched.Fast.Tc.Kernel;

/// <summary>
/// What the kernel keeps about a qdisc beside the qdisc itself: its place in the device's qdisc hash (insertion
/// order and visibility decide the order of tc qdisc show), its size table, and whether it came from
/// qdisc_create() (a user's command) or qdisc_create_dflt() (a kind's default child, hashed invisible).
/// </summary>
internal sealed class QdiscRecord
{
    /// <summary>Order of insertion into the device's qdisc hash (hash_add() puts newer entries first).</summary>
    public long HashSequence { get; set; }

    /// <summary>TCQ_F_INVISIBLE: listed only by "tc qdisc show invisible".</summary>
    public bool Invisible { get; set; }

    /// <summary>The qdisc's size table (root qdiscs only).</summary>
    public SizeTableSpec? SizeTable { get; set; }
}
