namespace Bpf.Native.Verifier;

/// <summary>
/// What a register holds, as the verifier tracks it (the base types of Linux enum bpf_reg_type; whether a pointer
/// may be null is tracked beside it). Also the pointer kind recorded for each memory access of a verified program
/// (the kernel's insn_aux_data ptr_type). The names in the comments are the kernel log's.
/// </summary>
public enum RegisterKind : byte
{
    /// <summary>Never written (NOT_INIT, "?"): reading it is an error.</summary>
    NotInit,
    /// <summary>A number with tracked bounds (SCALAR_VALUE, "scalar").</summary>
    Scalar,
    /// <summary>The program's context, e.g. struct __sk_buff (PTR_TO_CTX, "ctx").</summary>
    Context,
    /// <summary>A map reference from lddw (CONST_PTR_TO_MAP, "map_ptr").</summary>
    ConstMapPointer,
    /// <summary>A pointer into a map value (PTR_TO_MAP_VALUE, "map_value").</summary>
    MapValue,
    /// <summary>A pointer into the stack of some frame (PTR_TO_STACK, "fp").</summary>
    Stack,
    /// <summary>A pointer into the packet data (PTR_TO_PACKET, "pkt").</summary>
    Packet,
    /// <summary>A pointer to the packet's metadata area before data (PTR_TO_PACKET_META, "pkt_meta").</summary>
    PacketMeta,
    /// <summary>The end of the packet data, only for comparisons (PTR_TO_PACKET_END, "pkt_end").</summary>
    PacketEnd,
    /// <summary>Memory of a known size, e.g. a ring buffer record (PTR_TO_MEM, "mem").</summary>
    Memory,
    /// <summary>A socket (PTR_TO_SOCK_COMMON, "sock_common"), from __sk_buff.sk; may not be dereferenced here.</summary>
    SockCommon,
}
