using Bpf.Native.Execution;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// What the tc helpers need from the host, as one native block the host fills once: where in the context structure
/// (run->Context, the packet's metadata) it keeps the sk_buff fields the helpers read and change, and the
/// operations only the host can do (change the frame window inside the packet's buffer, send a copy to a device,
/// compute the flow hash). Byte offsets are from the start of the context; Data is an 8-byte pointer, Length
/// an int, Protocol and VlanProto host-order u16s, VlanTci a u16, the flags single bytes.
/// <para>
/// The operations take the run (its HostState is a <see cref="TcRunState"/>) and after a change the host must have
/// updated Data, DataEnd and Length in the context; the helper then refreshes the run's LD_ABS view.
/// </para>
/// </summary>
public unsafe struct TcSkbHost
{
    public int DataOffset;
    public int LengthOffset;
    public int ProtocolOffset;
    public int VlanPresentOffset;
    public int VlanTciOffset;
    public int VlanProtoOffset;
    public int HashOffset;
    public int HashValidOffset;
    public int L4HashOffset;
    public int PacketTypeOffset;

    /// <summary>Where bpf_redirect() leaves its target (the kernel's per-CPU bpf_redirect_info tgt_index, flags).</summary>
    public int RedirectIfIndexOffset;
    public int RedirectFlagsOffset;

    /// <summary>The link-layer header length at the start of the data (14: Ethernet; the network header follows).</summary>
    public int MacHeaderBytes;

    /// <summary>Grows the frame at the front by n bytes (n &lt; 0 removes -n): 0, or -ENOMEM without headroom.</summary>
    public delegate*<BpfRunContext*, int, int> PushHead;

    /// <summary>Sets the frame length, keeping its start: 0, or -ENOMEM without tailroom.</summary>
    public delegate*<BpfRunContext*, int, int> SetLength;

    /// <summary>bpf_clone_redirect's delivery: a copy to device ifindex (egress, or ingress with BPF_F_INGRESS): 0 or -errno.</summary>
    public delegate*<BpfRunContext*, uint, ulong, int> CloneRedirect;

    /// <summary>skb_get_hash(): the flow hash, computed and cached when not valid.</summary>
    public delegate*<BpfRunContext*, uint> RecalculateHash;
}
