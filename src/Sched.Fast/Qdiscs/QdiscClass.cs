using Sched.Fast.Classifiers;

namespace Sched.Fast.Qdiscs;

/// <summary>A class of a classful qdisc: its id, counters, options, and its leaf qdisc when it is a leaf.</summary>
public abstract class QdiscClass
{
    protected QdiscClass(uint classId, uint parentClassId)
    {
        ClassId = classId;
        ParentClassId = parentClassId;
    }

    public uint ClassId { get; }

    /// <summary>The parent class's id, or the qdisc's handle for a top-level class.</summary>
    public uint ParentClassId { get; protected set; }

    public QdiscStats Stats { get; } = new();

    /// <summary>The leaf qdisc (null for inner classes of kinds where inner classes hold none).</summary>
    public abstract Qdisc? Leaf { get; }

    /// <summary>Filters attached to this class (tc filter add ... parent CLASSID), for kinds that allow them.</summary>
    public FilterBlock? Filters { get; set; }

    /// <summary>The class's options as the kernel dumps them.</summary>
    public abstract ClassSpec? Dump();

    /// <summary>
    /// Whether the kind dumps this class's counters (cops->dump_stats). False for kinds without one (netem): the
    /// kernel's dump then carries an empty TCA_STATS2 and tc -s prints no counters for the class.
    /// </summary>
    public virtual bool HasStatistics => true;

    /// <summary>Class xstats (htb's lended/borrowed/tokens, ...), or null.</summary>
    public virtual object? DumpXstats() => null;

    /// <summary>
    /// Whether the kind's dump_stats reports byte/packet counters (gnet_stats_basic) for this class. sfq and
    /// fq_codel report only queue counters for their flows, and tc then prints no "Sent ... bytes ... pkt".
    /// </summary>
    public virtual bool HasBasicStats => true;

    /// <summary>Filters bound to this class (tcf_bind_filter); a class with bound filters cannot be deleted.</summary>
    public int FilterBindCount { get; set; }
}
