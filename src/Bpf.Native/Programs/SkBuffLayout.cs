namespace Bpf.Native.Programs;

/// <summary>
/// The uapi <c>struct __sk_buff</c> (include/uapi/linux/bpf.h), the context of SCHED_CLS and SCHED_ACT programs:
/// byte offsets and sizes as a program compiled against the header sees them. Pointer fields are
/// <c>__bpf_md_ptr</c> (8 bytes, 8-aligned); data, data_end and data_meta are 32-bit fields that the kernel turns
/// into pointers. The kernel rewrites every access to the real sk_buff (convert_ctx_access); we rewrite to
/// PacketMetadata. Checked against /usr/include/linux/bpf.h by a test that compiles offsetof() for every field.
/// </summary>
public static class SkBuffLayout
{
    public const int Len = 0;
    public const int PktType = 4;
    public const int Mark = 8;
    public const int QueueMapping = 12;
    public const int Protocol = 16;
    public const int VlanPresent = 20;
    public const int VlanTci = 24;
    public const int VlanProto = 28;
    public const int Priority = 32;
    public const int IngressIfindex = 36;
    public const int Ifindex = 40;
    public const int TcIndex = 44;
    /// <summary>cb[0]; cb[i] is at Cb + 4 * i, i in 0..4.</summary>
    public const int Cb = 48;
    public const int CbCount = 5;
    public const int CbEnd = Cb + 4 * CbCount;
    public const int Hash = 68;
    public const int TcClassid = 72;
    public const int Data = 76;
    public const int DataEnd = 80;
    public const int NapiId = 84;
    /// <summary>family .. local_port: sk_skb-only socket fields, not readable by tc programs.</summary>
    public const int Family = 88;
    public const int RemoteIp4 = 92;
    public const int LocalIp4 = 96;
    public const int RemoteIp6 = 100;
    public const int LocalIp6 = 116;
    public const int RemotePort = 132;
    public const int LocalPort = 136;
    public const int DataMeta = 140;
    public const int FlowKeys = 144;
    public const int Tstamp = 152;
    public const int WireLen = 160;
    public const int GsoSegs = 164;
    public const int Sk = 168;
    public const int GsoSize = 176;
    public const int TstampType = 180;
    /// <summary>Bytes 181..183 are padding (<c>__u32 :24</c>).</summary>
    public const int PaddingStart = 181;
    public const int Hwtstamp = 184;

    /// <summary>sizeof(struct __sk_buff).</summary>
    public const int SizeBytes = 192;

    /// <summary>Every field in offset order (the padding after tstamp_type is not a field).</summary>
    public static IReadOnlyList<SkBuffField> Fields { get; } =
    [
        new("len", Len, 4),
        new("pkt_type", PktType, 4),
        new("mark", Mark, 4),
        new("queue_mapping", QueueMapping, 4),
        new("protocol", Protocol, 4),
        new("vlan_present", VlanPresent, 4),
        new("vlan_tci", VlanTci, 4),
        new("vlan_proto", VlanProto, 4),
        new("priority", Priority, 4),
        new("ingress_ifindex", IngressIfindex, 4),
        new("ifindex", Ifindex, 4),
        new("tc_index", TcIndex, 4),
        new("cb", Cb, 4 * CbCount),
        new("hash", Hash, 4),
        new("tc_classid", TcClassid, 4),
        new("data", Data, 4),
        new("data_end", DataEnd, 4),
        new("napi_id", NapiId, 4),
        new("family", Family, 4),
        new("remote_ip4", RemoteIp4, 4),
        new("local_ip4", LocalIp4, 4),
        new("remote_ip6", RemoteIp6, 16),
        new("local_ip6", LocalIp6, 16),
        new("remote_port", RemotePort, 4),
        new("local_port", LocalPort, 4),
        new("data_meta", DataMeta, 4),
        new("flow_keys", FlowKeys, 8),
        new("tstamp", Tstamp, 8),
        new("wire_len", WireLen, 4),
        new("gso_segs", GsoSegs, 4),
        new("sk", Sk, 8),
        new("gso_size", GsoSize, 4),
        new("tstamp_type", TstampType, 1),
        new("hwtstamp", Hwtstamp, 8),
    ];

    /// <summary>The field containing byte <paramref name="offsetBytes"/>, or null (padding, outside the struct).</summary>
    public static SkBuffField? FieldAt(int offsetBytes)
    {
        foreach (var field in Fields)
        {
            if (field.Contains(offsetBytes))
            {
                return field;
            }
        }
        return null;
    }
}
