using System.Runtime.InteropServices;

namespace Sched.Fast.Aqm.Codel;

/// <summary>
/// struct codel_stats (include/net/codel.h): counters shared by all queues of one qdisc. DropCount/DropLength
/// collect what a dequeue dropped so the host qdisc can tell its ancestors afterwards (qdisc_tree_reduce_backlog).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct CodelStats
{
    /// <summary>Largest packet seen at dequeue (qdisc_pkt_len).</summary>
    public uint MaxPacket;

    /// <summary>Packets dropped by the control law since the host last reported them.</summary>
    public uint DropCount;

    /// <summary>Bytes of those packets.</summary>
    public uint DropLength;

    /// <summary>Packets CE-marked instead of dropped.</summary>
    public uint EcnMark;

    /// <summary>Packets CE-marked because their sojourn time exceeded ce_threshold.</summary>
    public uint CeMark;
}
