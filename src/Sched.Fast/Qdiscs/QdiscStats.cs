namespace Sched.Fast.Qdiscs;

/// <summary>
/// The counters of a qdisc or class as tc -s prints them: gnet_stats_basic (bytes, packets) and gnet_stats_queue
/// (qlen, backlog, drops, requeues, overlimits). Public fields, written on the hot path by the owner thread only.
/// </summary>
public sealed class QdiscStats
{
    /// <summary>Bytes dequeued (sent on) by this qdisc/class.</summary>
    public ulong Bytes;
    /// <summary>Packets dequeued (sent on) by this qdisc/class.</summary>
    public ulong Packets;
    public uint Drops;
    public uint Overlimits;
    public uint Requeues;
    /// <summary>Bytes currently queued (qstats.backlog).</summary>
    public uint Backlog;
    /// <summary>Packets currently queued (sch->q.qlen for a qdisc; the class's own queue length for a class).</summary>
    public int Qlen;

    /// <summary>The rate estimator attached to these counters (tc ... estimator), if any.</summary>
    public RateEstimator? Estimator;

    /// <summary>bstats_update(): one packet of <paramref name="bytes"/> sent.</summary>
    public void CountSent(int bytes)
    {
        Bytes += (ulong)bytes;
        Packets++;
    }

    public void Clear()
    {
        Bytes = 0;
        Packets = 0;
        Drops = 0;
        Overlimits = 0;
        Requeues = 0;
        Backlog = 0;
        Qlen = 0;
    }

    public QdiscStats Snapshot() => (QdiscStats)MemberwiseClone();
}
