using System.Runtime.CompilerServices;
using Sched.Fast.Classifiers;
using Sched.Fast.Packets;
using Sched.Fast.Qdiscs;

namespace Sched.Fast.Actions;

/// <summary>
/// One tc action (struct tc_action): a kind, an index in that kind's table, reference and bind counts, counters,
/// and its control verdict. Shared actions (by index) are one object referenced from several filters.
/// <para>
/// Counting follows net/sched/act_api.c: the table holds no reference of its own; every holder (the creating
/// "tc actions add", each filter bound to it) holds one, and filters also hold a bind. The action leaves its table
/// and is destroyed when the last reference goes (<see cref="ActionTable.Release"/>).
/// </para>
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

    /// <summary>tcf_t.firstuse in ns: 0 until the first packet.</summary>
    public long FirstUsedNs { get; set; }

    /// <summary>tcfa_action: the control verdict the action returns (TC_ACT_*, jump or goto chain).</summary>
    public int Control { get; protected set; }

    /// <summary>tcfa_flags: the user flags (TCA_ACT_FLAGS_*) the action was created with.</summary>
    public uint Flags { get; internal set; }

    /// <summary>act_cookie as lowercase hex, or null.</summary>
    public string? Cookie { get; internal set; }

    /// <summary>a->hw_stats: TCA_ACT_HW_STATS_ANY (3) unless the user asked for a type.</summary>
    public byte HwStats { get; internal set; } = ActionFlags.HwStatsAny;

    /// <summary>TCA_ACT_FLAGS_BIND in tcfa_flags: a filter created the action (it was not "tc actions add").</summary>
    public bool CreatedByFilter { get; internal set; }

    /// <summary>The table the action lives in (its kind's index space in one namespace).</summary>
    public ActionTable? Table { get; internal set; }

    /// <summary>ops->act: a TC_ACT_* verdict.</summary>
    public abstract int Act(Packet packet, ref ClassifyResult result);

    /// <summary>
    /// ops->dump without the generic attributes: the kind's options with <see cref="ActionSpec.Index"/> and
    /// <see cref="ActionSpec.Control"/> filled; the caller adds counts and times.
    /// </summary>
    public abstract ActionSpec DumpOptions();

    /// <summary>Releases what the action holds when its last reference goes.</summary>
    public virtual void Destroy() { }

    /// <summary>
    /// tcf_action_set_ctrlact(): installs a verdict and its goto chain, returning the chain reference the action
    /// held before (the caller puts it).
    /// </summary>
    public FilterChain? SetControl(int control, FilterChain? gotoChain)
    {
        Control = control;
        FilterChain? old = GotoChain;
        GotoChain = gotoChain;
        return old;
    }

    /// <summary>tcf_action_update_bstats(): one packet of qdisc_pkt_len() bytes seen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void CountPacket(Packet packet) => Stats.CountSent(packet.QdiscLength);

    /// <summary>
    /// tcf_lastuse_update(). The kernel reads jiffies; here the packet's arrival stamp stands for "now", so the
    /// per-packet path reads no clock.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void TouchLastUse(Packet packet)
    {
        long now = packet.Meta.ArrivalNs;
        LastUsedNs = now;
        if (FirstUsedNs == 0) FirstUsedNs = now;
    }
}
