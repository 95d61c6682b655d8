using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sched.Fast.Packets;

/// <summary>
/// The skb-like metadata of a packet. It lives in native memory at the head of the packet's slot, next to the data, so
/// that eBPF programs reach it through a plain pointer: their <c>__sk_buff</c> context loads are rewritten at load time
/// to offsets in this struct (the way the kernel's convert_ctx_access() rewrites them to <c>struct sk_buff</c>).
/// The layout is therefore fixed (explicit offsets); append fields, never move them.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public unsafe struct PacketMetadata
{
    public const int Size = 128;

    /// <summary>skb->mark.</summary>
    [FieldOffset(0)] public uint Mark;
    /// <summary>skb->priority: also a classid that classful qdiscs honour directly (htb, prio, ...).</summary>
    [FieldOffset(4)] public uint Priority;
    /// <summary>qdisc_skb_cb(skb)->tc_classid, set by cls_bpf in direct-action mode.</summary>
    [FieldOffset(8)] public uint TcClassId;
    /// <summary>skb->hash, valid when <see cref="HashValid"/> is set.</summary>
    [FieldOffset(12)] public uint Hash;
    /// <summary>skb->tc_index (dsmark, tcindex).</summary>
    [FieldOffset(16)] public ushort TcIndex;
    /// <summary>skb->queue_mapping: the TX queue (mq, mqprio, skbedit).</summary>
    [FieldOffset(18)] public ushort QueueMapping;
    /// <summary>skb->protocol: the EtherType in host byte order (0x0800 for IPv4), after any VLAN tag.</summary>
    [FieldOffset(20)] public ushort Protocol;
    /// <summary>skb->vlan_tci of a tag held out of band (hardware-accelerated VLAN), when <see cref="VlanPresent"/>.</summary>
    [FieldOffset(22)] public ushort VlanTci;
    /// <summary>skb->vlan_proto (0x8100 or 0x88a8), host byte order.</summary>
    [FieldOffset(24)] public ushort VlanProto;
    [FieldOffset(26)] public byte VlanPresent;
    [FieldOffset(27)] public byte HashValid;
    /// <summary>skb->l4_hash: the hash covers the 4-tuple.</summary>
    [FieldOffset(28)] public byte L4Hash;
    /// <summary>skb->pkt_type (PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3, OUTGOING 4).</summary>
    [FieldOffset(29)] public byte PacketType;
    /// <summary>skb->ingress_ifindex: the port the packet arrived on.</summary>
    [FieldOffset(32)] public int IngressIfIndex;
    /// <summary>skb->dev->ifindex: the device the packet is currently at.</summary>
    [FieldOffset(36)] public int IfIndex;
    /// <summary>qdisc_skb_cb(skb)->data / the __sk_buff cb[5] words that programs may use freely.</summary>
    [FieldOffset(40)] public CbWords Cb;
    /// <summary>qdisc_skb_cb(skb)->pkt_len: the length qdiscs account (frame length, adjusted by a size table).</summary>
    [FieldOffset(60)] public int QdiscLength;
    /// <summary>When the port received the packet (CLOCK_MONOTONIC ns).</summary>
    [FieldOffset(64)] public long ArrivalNs;
    /// <summary>When the packet entered its current queue (codel's enqueue time).</summary>
    [FieldOffset(72)] public long EnqueueNs;
    /// <summary>skb->tstamp: a transmit time (netem, fq, etf) or zero.</summary>
    [FieldOffset(80)] public long TstampNs;
    /// <summary>A scratch word for the qdisc that holds the packet (the kernel's per-qdisc skb->cb area).</summary>
    [FieldOffset(88)] public long QdiscScratch;
    /// <summary>Start of packet data, kept current for eBPF (__sk_buff.data).</summary>
    [FieldOffset(96)] public byte* Data;
    /// <summary>One past the end of packet data (__sk_buff.data_end).</summary>
    [FieldOffset(104)] public byte* DataEnd;
    /// <summary>The frame's length: kept current for eBPF (__sk_buff.len).</summary>
    [FieldOffset(112)] public int Length;
    /// <summary>skb->napi_id / free for future use.</summary>
    [FieldOffset(116)] public int Reserved0;
    /// <summary>bpf_redirect()'s target ifindex (the kernel's per-CPU bpf_redirect_info tgt_index), 0 when none.</summary>
    [FieldOffset(120)] public int RedirectIfIndex;
    /// <summary>bpf_redirect()'s flags (BPF_F_INGRESS).</summary>
    [FieldOffset(124)] public uint RedirectFlags;

    [InlineArray(5)]
    public struct CbWords
    {
        private uint _word;
    }
}
