namespace Sched.Fast.Ematches.Meta;

/// <summary>
/// tc/em_meta.c meta_table: the names tc knows (some differ from the kernel's ids: "loadavg_1" is LOADAVG_0),
/// the types each accepts ("i" int, "v" var, the first the default), and the section headings meta(list) prints.
/// </summary>
public static class MetaTable
{
    /// <summary>One row; <see cref="Id"/> 0 is a section heading.</summary>
    public sealed record Entry(int Id, string Name, string Mask, string Description);

    public static readonly Entry[] Rows =
    [
        new(0, "Generic", "", ""),
        new(MetaId.Random, "random", "i", "Random value (32 bit)"),
        new(MetaId.LoadAvg0, "loadavg_1", "i", "Load average in last minute"),
        new(MetaId.LoadAvg1, "loadavg_5", "i", "Load average in last 5 minutes"),
        new(MetaId.LoadAvg2, "loadavg_15", "i", "Load average in last 15 minutes"),
        new(0, "Interfaces", "", ""),
        new(MetaId.Dev, "dev", "iv", "Device the packet is on"),
        new(0, "Packet attributes", "", ""),
        new(MetaId.Priority, "priority", "i", "Priority of packet"),
        new(MetaId.Protocol, "protocol", "i", "Link layer protocol"),
        new(MetaId.PktType, "pkt_type", "i", "Packet type (uni|multi|broad|...)cast"),
        new(MetaId.PktLen, "pkt_len", "i", "Length of packet"),
        new(MetaId.DataLen, "data_len", "i", "Length of data in packet"),
        new(MetaId.MacLen, "mac_len", "i", "Length of link layer header"),
        new(0, "Netfilter", "", ""),
        new(MetaId.NfMark, "nf_mark", "i", "Netfilter mark"),
        new(MetaId.NfMark, "fwmark", "i", "Alias for nf_mark"),
        new(0, "Traffic Control", "", ""),
        new(MetaId.TcIndex, "tc_index", "i", "TC Index"),
        new(0, "Routing", "", ""),
        new(MetaId.RtClassId, "rt_classid", "i", "Routing ClassID (cls_route)"),
        new(MetaId.RtIif, "rt_iif", "i", "Incoming interface index"),
        new(MetaId.VlanTag, "vlan", "i", "Vlan tag"),
        new(0, "Sockets", "", ""),
        new(MetaId.SkFamily, "sk_family", "i", "Address family"),
        new(MetaId.SkState, "sk_state", "i", "State"),
        new(MetaId.SkReuse, "sk_reuse", "i", "Reuse Flag"),
        new(MetaId.SkBoundIf, "sk_bind_if", "iv", "Bound interface"),
        new(MetaId.SkRefCnt, "sk_refcnt", "i", "Reference counter"),
        new(MetaId.SkShutdown, "sk_shutdown", "i", "Shutdown mask"),
        new(MetaId.SkProto, "sk_proto", "i", "Protocol"),
        new(MetaId.SkType, "sk_type", "i", "Type"),
        new(MetaId.SkRcvBuf, "sk_rcvbuf", "i", "Receive buffer size"),
        new(MetaId.SkRmemAlloc, "sk_rmem", "i", "RMEM"),
        new(MetaId.SkWmemAlloc, "sk_wmem", "i", "WMEM"),
        new(MetaId.SkOmemAlloc, "sk_omem", "i", "OMEM"),
        new(MetaId.SkWmemQueued, "sk_wmem_queue", "i", "WMEM queue"),
        new(MetaId.SkSndQlen, "sk_snd_queue", "i", "Send queue length"),
        new(MetaId.SkRcvQlen, "sk_rcv_queue", "i", "Receive queue length"),
        new(MetaId.SkErrQlen, "sk_err_queue", "i", "Error queue length"),
        new(MetaId.SkForwardAllocs, "sk_fwd_alloc", "i", "Forward allocations"),
        new(MetaId.SkSndBuf, "sk_sndbuf", "i", "Send buffer size"),
    ];

    /// <summary>lookup_meta_entry(): by exact name, headings excluded.</summary>
    public static Entry? ByName(string name) => Array.Find(Rows, r => r.Id != 0 && r.Name == name);

    /// <summary>lookup_meta_entry_byid(): the first row with the id.</summary>
    public static Entry? ById(int id) => Array.Find(Rows, r => r.Id == id);

    /// <summary>map_type().</summary>
    public static int TypeOf(char c) => c == 'v' ? MetaOperand.TypeVar : MetaOperand.TypeInt;
}
