using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;

namespace Sched.Fast.Actions;

/// <summary>
/// One tc action (struct tc_action): a kind, an index in that kind's table, reference and bind counts, counters,
/// and its control verdict. Shared actions (by index) are one object referenced from several filters.
/// </summary>
public abstract class TcAction
{
    protected TcAction(uint index) => Index = index;

    public abstract string Kind { get; }

    public uint Index { get; internal set; }

    /// <summary>tcfa_refcnt: references from the action table and filters.</summary>
    public int RefCount { get; set; } = 1;

    /// <summary>tcfa_bindcnt: filters bound to the action.</summary>
    public int BindCount { get; set; }

    /// <summary>Packets/bytes seen, drops and overlimits (tcfa_bstats, tcfa_qstats).</summary>
    public QdiscStats Stats { get; } = new();

    /// <summary>The goto chain target when the control verdict is goto chain (a->goto_chain).</summary>
    public FilterChain? GotoChain { get; set; }

    /// <summary>Install and last-use times in ns (tcf_t), for tc -s output.</summary>
    public long InstalledNs { get; set; }
    public long LastUsedNs { get; set; }

    /// <summary>ops->act: a TC_ACT_* verdict.</summary>
    public abstract int Act(Packet packet, ref ClassifyResult result);

    /// <summary>Releases what the action holds when its last reference goes.</summary>
    public virtual void Destroy() { }
}
