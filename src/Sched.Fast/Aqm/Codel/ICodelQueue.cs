using Sched.Fast.Packets;

namespace Sched.Fast.Aqm.Codel;

/// <summary>
/// The host queue CoDel controls (codel_impl.h's dequeue_func/drop_func callbacks). Implement it on a struct and
/// pass it by ref to <see cref="CodelAlgorithm.Dequeue{TQueue}"/>, so the JIT specialises the algorithm for the
/// host and inlines the callbacks.
/// </summary>
public interface ICodelQueue
{
    /// <summary>
    /// dequeue_func: remove the head packet of the controlled queue and account for it in the host's qlen and
    /// backlog (not in bstats: only the packet finally returned is "sent"); null when the queue is empty.
    /// </summary>
    Packet? DequeueHead();

    /// <summary>drop_func: free a packet the control law dropped and count it in the host's drops.</summary>
    void Drop(Packet packet);

    /// <summary>The backlog in bytes CoDel compares with the MTU (the whole qdisc's qstats.backlog).</summary>
    uint Backlog { get; }
}
