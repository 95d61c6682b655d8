using System.Runtime.InteropServices;
using Bpf.Native.Programs;
using Sched.Fast.Packets;
using static Bpf.Native.Programs.ContextFieldStorage;

namespace Sched.Fast.Classifiers.Bpf;

/// <summary>
/// Where <see cref="PacketMetadata"/> keeps each field of the uapi <c>struct __sk_buff</c> (<see cref="SkBuffLayout"/>), for the load-time rewrite of tc programs' context accesses. Each entry follows what the
/// kernel's bpf_convert_ctx_access() reads for the field: protocol and vlan_proto are the __be16 loaded as a u16
/// (a byte swap of our host-order value), tc_classid, tc_index and queue_mapping are 16-bit, data and data_end are
/// the 8-byte pointers, wire_len is qdisc_pkt_len(). Fields with no storage here read as constants: napi_id 0,
/// gso_segs and gso_size 0 (frames are segmented before tc sees them), sk NULL (no sockets), tstamp_type 0
/// (BPF_SKB_TSTAMP_UNSPEC), hwtstamp 0; data_meta equals data (no metadata area). The socket fields
/// family..local_port are not readable by tc programs and have no entry.
/// </summary>
public static class PacketContextLayout
{
    /// <summary>sizeof(struct __sk_buff).</summary>
    public const int SkBuffSize = SkBuffLayout.SizeBytes;

    public static ContextLayout Instance { get; } = Build();

    private static int At(string field) => (int)Marshal.OffsetOf<PacketMetadata>(field);

    private static ContextLayout Build() => new("__sk_buff", SkBuffSize,
    [
        new("len", SkBuffLayout.Len, 4, Direct, At(nameof(PacketMetadata.Length)), 4, NarrowReads: true),
        new("pkt_type", SkBuffLayout.PktType, 4, Direct, At(nameof(PacketMetadata.PacketType)), 1, NarrowReads: true),
        new("mark", SkBuffLayout.Mark, 4, Direct, At(nameof(PacketMetadata.Mark)), 4, Writable: true, NarrowReads: true),
        new("queue_mapping", SkBuffLayout.QueueMapping, 4, Direct, At(nameof(PacketMetadata.QueueMapping)), 2, Writable: true, NarrowReads: true,
            StoreBelow: 0xffff),
        new("protocol", SkBuffLayout.Protocol, 4, BigEndian16, At(nameof(PacketMetadata.Protocol)), 2, NarrowReads: true),
        new("vlan_present", SkBuffLayout.VlanPresent, 4, Direct, At(nameof(PacketMetadata.VlanPresent)), 1, NarrowReads: true),
        new("vlan_tci", SkBuffLayout.VlanTci, 4, Direct, At(nameof(PacketMetadata.VlanTci)), 2, NarrowReads: true),
        new("vlan_proto", SkBuffLayout.VlanProto, 4, BigEndian16, At(nameof(PacketMetadata.VlanProto)), 2, NarrowReads: true),
        new("priority", SkBuffLayout.Priority, 4, Direct, At(nameof(PacketMetadata.Priority)), 4, Writable: true, NarrowReads: true),
        new("ingress_ifindex", SkBuffLayout.IngressIfindex, 4, Direct, At(nameof(PacketMetadata.IngressIfIndex)), 4, NarrowReads: true),
        new("ifindex", SkBuffLayout.Ifindex, 4, Direct, At(nameof(PacketMetadata.IfIndex)), 4, NarrowReads: true),
        new("tc_index", SkBuffLayout.TcIndex, 4, Direct, At(nameof(PacketMetadata.TcIndex)), 2, Writable: true, NarrowReads: true),
        new("cb", SkBuffLayout.Cb, 20, Bytes, At(nameof(PacketMetadata.Cb)), 20, Writable: true),
        new("hash", SkBuffLayout.Hash, 4, Direct, At(nameof(PacketMetadata.Hash)), 4, NarrowReads: true),
        new("tc_classid", SkBuffLayout.TcClassid, 4, Direct, At(nameof(PacketMetadata.TcClassId)), 2, Writable: true, NarrowReads: true),
        new("data", SkBuffLayout.Data, 4, Pointer, At(nameof(PacketMetadata.Data))),
        new("data_end", SkBuffLayout.DataEnd, 4, Pointer, At(nameof(PacketMetadata.DataEnd))),
        new("napi_id", SkBuffLayout.NapiId, 4, Constant, NarrowReads: true, ResultBytes: 4),
        new("data_meta", SkBuffLayout.DataMeta, 4, Pointer, At(nameof(PacketMetadata.Data))),
        new("tstamp", SkBuffLayout.Tstamp, 8, Direct, At(nameof(PacketMetadata.TstampNs)), 8, Writable: true),
        new("wire_len", SkBuffLayout.WireLen, 4, Direct, At(nameof(PacketMetadata.QdiscLength)), 4, NarrowReads: true),
        new("gso_segs", SkBuffLayout.GsoSegs, 4, Constant, NarrowReads: true, ResultBytes: 2),
        new("sk", SkBuffLayout.Sk, 8, Constant),
        new("gso_size", SkBuffLayout.GsoSize, 4, Constant, NarrowReads: true, ResultBytes: 2),
        new("tstamp_type", SkBuffLayout.TstampType, 1, Constant, ResultBytes: 1),
        new("hwtstamp", SkBuffLayout.Hwtstamp, 8, Constant),
    ]);
}
