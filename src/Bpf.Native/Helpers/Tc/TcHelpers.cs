using System.Reflection;
using static Bpf.Native.Helpers.HelperArgumentKind;

namespace Bpf.Native.Helpers.Tc;

/// <summary>
/// The helper set tc programs (SCHED_CLS, SCHED_ACT) may call here, by Linux id with the kernel's prototypes
/// (net/core/filter.c tc_cls_act_func_proto(), kernel/bpf/helpers.c). A helper Linux offers tc but not listed here
/// is refused by the verifier by name ("unknown func bpf_skb_get_tunnel_key#20").
/// </summary>
public static class TcHelpers
{
    /// <summary>A new table holding the whole tc helper set.</summary>
    public static HelperTable CreateTable()
    {
        var table = new HelperTable();
        const HelperReturnKind Int = HelperReturnKind.Integer;
        const HelperArgumentKind Ctx = PointerToContext;
        const HelperArgumentKind Map = ConstMapPointer;
        const HelperArgumentKind Any = Anything;

        void Add(int id, string name, Type type, string method, HelperReturnKind returns, params HelperArgumentKind[] args)
        {
            MethodInfo info = type.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
                ?? throw new InvalidOperationException($"{type.Name}.{method} is missing");
            table.Register(id, name, new HelperPrototype(returns, args), info, mayEndProgram: id == TcHelperIds.TailCall);
        }

        Add(TcHelperIds.MapLookupElem, "map_lookup_elem", typeof(MapHelpers), nameof(MapHelpers.MapLookupElem),
            HelperReturnKind.PointerToMapValueOrNull, Map, PointerToMapKey);
        Add(TcHelperIds.MapUpdateElem, "map_update_elem", typeof(MapHelpers), nameof(MapHelpers.MapUpdateElem),
            Int, Map, PointerToMapKey, PointerToMapValue, Any);
        Add(TcHelperIds.MapDeleteElem, "map_delete_elem", typeof(MapHelpers), nameof(MapHelpers.MapDeleteElem),
            Int, Map, PointerToMapKey);
        Add(TcHelperIds.MapPushElem, "map_push_elem", typeof(MapHelpers), nameof(MapHelpers.MapPushElem),
            Int, Map, PointerToMapValue, Any);
        Add(TcHelperIds.MapPopElem, "map_pop_elem", typeof(MapHelpers), nameof(MapHelpers.MapPopElem),
            Int, Map, PointerToUninitializedMapValue);
        Add(TcHelperIds.MapPeekElem, "map_peek_elem", typeof(MapHelpers), nameof(MapHelpers.MapPeekElem),
            Int, Map, PointerToUninitializedMapValue);
        Add(TcHelperIds.TailCall, "tail_call", typeof(MapHelpers), nameof(MapHelpers.TailCall),
            HelperReturnKind.Void, Ctx, Map, Any);

        Add(TcHelperIds.KtimeGetNs, "ktime_get_ns", typeof(TimeHelpers), nameof(TimeHelpers.KtimeGetNs), Int);
        Add(TcHelperIds.KtimeGetBootNs, "ktime_get_boot_ns", typeof(TimeHelpers), nameof(TimeHelpers.KtimeGetBootNs), Int);
        Add(TcHelperIds.Jiffies64, "jiffies64", typeof(TimeHelpers), nameof(TimeHelpers.Jiffies64), Int);
        Add(TcHelperIds.GetPrandomU32, "get_prandom_u32", typeof(TimeHelpers), nameof(TimeHelpers.GetPrandomU32), Int);
        Add(TcHelperIds.GetSmpProcessorId, "get_smp_processor_id", typeof(TimeHelpers), nameof(TimeHelpers.GetSmpProcessorId), Int);

        Add(TcHelperIds.TracePrintk, "trace_printk", typeof(TraceHelpers), nameof(TraceHelpers.TracePrintk),
            Int, PointerToReadableMemory, ConstSize);

        Add(TcHelperIds.SkbLoadBytes, "skb_load_bytes", typeof(PacketBytesHelpers), nameof(PacketBytesHelpers.SkbLoadBytes),
            Int, Ctx, Any, PointerToWritableMemory, ConstSize);
        Add(TcHelperIds.SkbLoadBytesRelative, "skb_load_bytes_relative", typeof(PacketBytesHelpers),
            nameof(PacketBytesHelpers.SkbLoadBytesRelative), Int, Ctx, Any, PointerToWritableMemory, ConstSize, Any);
        Add(TcHelperIds.SkbStoreBytes, "skb_store_bytes", typeof(PacketBytesHelpers), nameof(PacketBytesHelpers.SkbStoreBytes),
            Int, Ctx, Any, PointerToReadableMemory, ConstSize, Any);
        Add(TcHelperIds.SkbPullData, "skb_pull_data", typeof(PacketBytesHelpers), nameof(PacketBytesHelpers.SkbPullData),
            Int, Ctx, Any);

        Add(TcHelperIds.L3CsumReplace, "l3_csum_replace", typeof(ChecksumHelpers), nameof(ChecksumHelpers.L3CsumReplace),
            Int, Ctx, Any, Any, Any, Any);
        Add(TcHelperIds.L4CsumReplace, "l4_csum_replace", typeof(ChecksumHelpers), nameof(ChecksumHelpers.L4CsumReplace),
            Int, Ctx, Any, Any, Any, Any);
        Add(TcHelperIds.CsumDiff, "csum_diff", typeof(ChecksumHelpers), nameof(ChecksumHelpers.CsumDiff),
            Int, PointerToReadableMemoryOrNull, ConstSizeOrZero, PointerToReadableMemoryOrNull, ConstSizeOrZero, Any);
        Add(TcHelperIds.CsumUpdate, "csum_update", typeof(ChecksumHelpers), nameof(ChecksumHelpers.CsumUpdate),
            Int, Ctx, Any);

        Add(TcHelperIds.Redirect, "redirect", typeof(RedirectHelpers), nameof(RedirectHelpers.Redirect), Int, Any, Any);
        Add(TcHelperIds.CloneRedirect, "clone_redirect", typeof(RedirectHelpers), nameof(RedirectHelpers.CloneRedirect),
            Int, Ctx, Any, Any);

        Add(TcHelperIds.GetHashRecalc, "get_hash_recalc", typeof(HashHelpers), nameof(HashHelpers.GetHashRecalc), Int, Ctx);
        Add(TcHelperIds.SetHashInvalid, "set_hash_invalid", typeof(HashHelpers), nameof(HashHelpers.SetHashInvalid), Int, Ctx);
        Add(TcHelperIds.SetHash, "set_hash", typeof(HashHelpers), nameof(HashHelpers.SetHash), Int, Ctx, Any);

        Add(TcHelperIds.SkbVlanPush, "skb_vlan_push", typeof(VlanHelpers), nameof(VlanHelpers.SkbVlanPush), Int, Ctx, Any, Any);
        Add(TcHelperIds.SkbVlanPop, "skb_vlan_pop", typeof(VlanHelpers), nameof(VlanHelpers.SkbVlanPop), Int, Ctx);

        Add(TcHelperIds.SkbChangeProto, "skb_change_proto", typeof(ReshapeHelpers), nameof(ReshapeHelpers.SkbChangeProto),
            Int, Ctx, Any, Any);
        Add(TcHelperIds.SkbChangeType, "skb_change_type", typeof(ReshapeHelpers), nameof(ReshapeHelpers.SkbChangeType),
            Int, Ctx, Any);
        Add(TcHelperIds.SkbChangeTail, "skb_change_tail", typeof(ReshapeHelpers), nameof(ReshapeHelpers.SkbChangeTail),
            Int, Ctx, Any, Any);
        Add(TcHelperIds.SkbChangeHead, "skb_change_head", typeof(ReshapeHelpers), nameof(ReshapeHelpers.SkbChangeHead),
            Int, Ctx, Any, Any);
        Add(TcHelperIds.SkbAdjustRoom, "skb_adjust_room", typeof(ReshapeHelpers), nameof(ReshapeHelpers.SkbAdjustRoom),
            Int, Ctx, Any, Any, Any);

        Add(TcHelperIds.PerfEventOutput, "perf_event_output", typeof(OutputHelpers), nameof(OutputHelpers.PerfEventOutput),
            Int, Ctx, Map, Any, PointerToReadableMemory, ConstSizeOrZero);
        Add(TcHelperIds.RingbufOutput, "ringbuf_output", typeof(OutputHelpers), nameof(OutputHelpers.RingbufOutput),
            Int, Map, PointerToReadableMemory, ConstSizeOrZero, Any);
        Add(TcHelperIds.RingbufReserve, "ringbuf_reserve", typeof(OutputHelpers), nameof(OutputHelpers.RingbufReserve),
            HelperReturnKind.PointerToRingBufferMemoryOrNull, Map, ConstAllocSizeOrZero, Any);
        Add(TcHelperIds.RingbufSubmit, "ringbuf_submit", typeof(OutputHelpers), nameof(OutputHelpers.RingbufSubmit),
            HelperReturnKind.Void, PointerToRingBufferMemory, Any);
        Add(TcHelperIds.RingbufDiscard, "ringbuf_discard", typeof(OutputHelpers), nameof(OutputHelpers.RingbufDiscard),
            HelperReturnKind.Void, PointerToRingBufferMemory, Any);
        return table;
    }

    /// <summary>Helpers whose call invalidates packet pointers (the kernel's bpf_helper_changes_pkt_data()).</summary>
    public static bool ChangesPacketData(int id) => id is TcHelperIds.SkbStoreBytes or TcHelperIds.SkbChangeHead
        or TcHelperIds.SkbChangeTail or TcHelperIds.SkbPullData or TcHelperIds.SkbChangeProto or TcHelperIds.SkbVlanPush
        or TcHelperIds.SkbVlanPop or TcHelperIds.SkbAdjustRoom or TcHelperIds.L3CsumReplace or TcHelperIds.L4CsumReplace
        or TcHelperIds.CloneRedirect;
}
