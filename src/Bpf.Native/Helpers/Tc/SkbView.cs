using System.Runtime.CompilerServices;
using Bpf.Native.Execution;

namespace Bpf.Native.Helpers.Tc;

/// <summary>The helpers' view of the packet behind a run: its metadata fields through the host's offsets.</summary>
internal readonly unsafe ref struct SkbView
{
    private readonly BpfRunContext* _run;
    private readonly TcSkbHost* _host;
    private readonly byte* _meta;

    private SkbView(BpfRunContext* run, TcSkbHost* host)
    {
        _run = run;
        _host = host;
        _meta = (byte*)run->Context;
    }

    /// <summary>The view, or false when the run has no tc host (a program run outside tc).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGet(BpfRunContext* run, out SkbView view)
    {
        var state = (TcRunState*)run->HostState;
        if (state == null || state->Host == null || run->Context == null)
        {
            view = default;
            return false;
        }
        view = new SkbView(run, state->Host);
        return true;
    }

    public TcSkbHost* Host => _host;

    public BpfRunContext* Run => _run;

    public byte* Data => *(byte**)(_meta + _host->DataOffset);

    public int Length => *(int*)(_meta + _host->LengthOffset);

    public ref ushort Protocol => ref *(ushort*)(_meta + _host->ProtocolOffset);

    public ref byte VlanPresent => ref *(_meta + _host->VlanPresentOffset);

    public ref ushort VlanTci => ref *(ushort*)(_meta + _host->VlanTciOffset);

    public ref ushort VlanProto => ref *(ushort*)(_meta + _host->VlanProtoOffset);

    public ref uint Hash => ref *(uint*)(_meta + _host->HashOffset);

    public ref byte HashValid => ref *(_meta + _host->HashValidOffset);

    public ref byte L4Hash => ref *(_meta + _host->L4HashOffset);

    public ref byte PacketType => ref *(_meta + _host->PacketTypeOffset);

    public ref int RedirectIfIndex => ref *(int*)(_meta + _host->RedirectIfIndexOffset);

    public ref uint RedirectFlags => ref *(uint*)(_meta + _host->RedirectFlagsOffset);

    public int MacHeaderBytes => _host->MacHeaderBytes;

    /// <summary>skb_clear_hash().</summary>
    public void ClearHash()
    {
        Hash = 0;
        HashValid = 0;
        L4Hash = 0;
    }

    /// <summary>Grows (n &gt; 0) or shrinks the front through the host, then refreshes the run's packet view.</summary>
    public int PushHead(int bytes)
    {
        int result = _host->PushHead(_run, bytes);
        Refresh();
        return result;
    }

    /// <summary>Sets the length through the host, then refreshes the run's packet view.</summary>
    public int SetLength(int length)
    {
        int result = _host->SetLength(_run, length);
        Refresh();
        return result;
    }

    /// <summary>bpf_compute_data_pointers(): LD_ABS / LD_IND read the current frame.</summary>
    public void Refresh()
    {
        _run->PacketData = Data;
        _run->PacketLength = (uint)Length;
        _run->NetworkHeaderOffset = (uint)_host->MacHeaderBytes;
    }
}
