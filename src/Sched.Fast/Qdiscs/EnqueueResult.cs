namespace Sched.Fast.Qdiscs;

/// <summary>
/// What an enqueue did with the packet (include/linux/netdevice.h NET_XMIT_* and the __NET_XMIT_* flags). After any
/// result the caller no longer owns the packet: it is queued, or was freed exactly once (dropped), or was taken by an
/// action (stolen: redirected, queued elsewhere).
/// </summary>
[Flags]
public enum EnqueueResult
{
    /// <summary>NET_XMIT_SUCCESS: queued.</summary>
    Success = 0x00,
    /// <summary>NET_XMIT_DROP: dropped (this packet, or another one in its place).</summary>
    Drop = 0x01,
    /// <summary>NET_XMIT_CN: congestion notification; the packet may or may not have been queued.</summary>
    Congestion = 0x02,
    /// <summary>__NET_XMIT_STOLEN: an action consumed the packet; parents must not count a drop.</summary>
    Stolen = 0x0001_0000,
    /// <summary>__NET_XMIT_BYPASS: dropped before reaching a queue (e.g. a filter's shot); parents count the drop.</summary>
    Bypass = 0x0002_0000,
}

public static class EnqueueResultExtensions
{
    /// <summary>NET_XMIT_MASK: the code without the private flags.</summary>
    public static EnqueueResult Code(this EnqueueResult r) => r & (EnqueueResult)0x0F;

    /// <summary>net_xmit_drop_count(): whether a parent must count a drop for this result.</summary>
    public static bool CountsAsDrop(this EnqueueResult r) => (r & EnqueueResult.Stolen) == 0;

    /// <summary>Whether the packet is now held by the qdisc (success or congestion without loss of this packet).</summary>
    public static bool IsSuccess(this EnqueueResult r) => r.Code() == EnqueueResult.Success;
}
