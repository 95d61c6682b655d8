using Bpf.Native.Execution;
using Bpf.Native.Maps;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// The map helpers (kernel/bpf/helpers.c): r1 is a map handle (<see cref="BpfMap.Handle"/>, what lddw of a map
/// loads), keys and values are pointers the verifier checked. Results are the map's: a value pointer or 0, 0 or a
/// negative errno.
/// </summary>
public static unsafe class MapHelpers
{
    /// <summary>bpf_map_lookup_elem(map, key): a pointer into the map's memory, or NULL.</summary>
    public static ulong MapLookupElem(BpfRunContext* run, ulong map, ulong key, ulong r3, ulong r4, ulong r5) =>
        BpfMap.FromHandle((nint)map) is { } m ? (ulong)m.Lookup((byte*)key) : 0;

    /// <summary>bpf_map_update_elem(map, key, value, flags).</summary>
    public static ulong MapUpdateElem(BpfRunContext* run, ulong map, ulong key, ulong value, ulong flags, ulong r5) =>
        BpfMap.FromHandle((nint)map) is { } m ? TcErrno.Result(m.Update((byte*)key, (byte*)value, flags)) : TcErrno.Result(TcErrno.Invalid);

    /// <summary>bpf_map_delete_elem(map, key).</summary>
    public static ulong MapDeleteElem(BpfRunContext* run, ulong map, ulong key, ulong r3, ulong r4, ulong r5) =>
        BpfMap.FromHandle((nint)map) is { } m ? TcErrno.Result(m.Delete((byte*)key)) : TcErrno.Result(TcErrno.Invalid);

    /// <summary>bpf_map_push_elem(map, value, flags): queue and stack maps.</summary>
    public static ulong MapPushElem(BpfRunContext* run, ulong map, ulong value, ulong flags, ulong r4, ulong r5) =>
        BpfMap.FromHandle((nint)map) is { } m ? TcErrno.Result(m.Push((byte*)value, flags)) : TcErrno.Result(TcErrno.Invalid);

    /// <summary>bpf_map_pop_elem(map, value).</summary>
    public static ulong MapPopElem(BpfRunContext* run, ulong map, ulong value, ulong r3, ulong r4, ulong r5) =>
        BpfMap.FromHandle((nint)map) is { } m ? TcErrno.Result(m.Pop((byte*)value)) : TcErrno.Result(TcErrno.Invalid);

    /// <summary>bpf_map_peek_elem(map, value).</summary>
    public static ulong MapPeekElem(BpfRunContext* run, ulong map, ulong value, ulong r3, ulong r4, ulong r5) =>
        BpfMap.FromHandle((nint)map) is { } m ? TcErrno.Result(m.Peek((byte*)value)) : TcErrno.Result(TcErrno.Invalid);

    /// <summary>
    /// bpf_tail_call(ctx, prog_array, index): an index past the array fails without counting (kernel/bpf/core.c);
    /// otherwise the engine takes the slot's program, or counts a failed attempt on an empty slot, and the program
    /// goes on after the call when the tail call did not happen.
    /// </summary>
    public static ulong TailCall(BpfRunContext* run, ulong ctx, ulong map, ulong index, ulong r4, ulong r5)
    {
        if (BpfMap.FromHandle((nint)map) is not ProgArrayMap programs || index >= programs.MaxEntries)
        {
            return 0;
        }
        run->TryRequestTailCall(programs.GetProgram((uint)index) as BpfProgram);
        return 0;
    }
}
