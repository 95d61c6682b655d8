using Bpf.Native.Execution;
using Bpf.Native.Helpers;

namespace Bpf.Native.Tests.Verifier;

/// <summary>
/// A helper table with the kernel's prototypes (net/core/filter.c, kernel/bpf/helpers.c) of the tc helpers the
/// verifier tests call, implemented by one do-nothing method: the verifier only reads prototypes. The real
/// implementations are the bpf-tc branch's.
/// </summary>
internal static unsafe class TcTestHelpers
{
    public static ulong Nothing(BpfRunContext* run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;

    public static HelperTable Table { get; } = Build();

    private static HelperTable Build()
    {
        var method = typeof(TcTestHelpers).GetMethod(nameof(Nothing))!;
        var table = new HelperTable();
        void Add(int id, string name, HelperReturnKind returns, params HelperArgumentKind[] arguments) =>
            table.Register(id, name, new HelperPrototype(returns, arguments), method, mayEndProgram: id == 12);

        const HelperArgumentKind Ctx = HelperArgumentKind.PointerToContext;
        const HelperArgumentKind Map = HelperArgumentKind.ConstMapPointer;
        const HelperArgumentKind Any = HelperArgumentKind.Anything;
        const HelperReturnKind Int = HelperReturnKind.Integer;
        Add(1, "map_lookup_elem", HelperReturnKind.PointerToMapValueOrNull, Map, HelperArgumentKind.PointerToMapKey);
        Add(2, "map_update_elem", Int, Map, HelperArgumentKind.PointerToMapKey, HelperArgumentKind.PointerToMapValue, Any);
        Add(3, "map_delete_elem", Int, Map, HelperArgumentKind.PointerToMapKey);
        Add(5, "ktime_get_ns", Int);
        Add(6, "trace_printk", Int, HelperArgumentKind.PointerToReadableMemory, HelperArgumentKind.ConstSize);
        Add(7, "get_prandom_u32", Int);
        Add(8, "get_smp_processor_id", Int);
        Add(9, "skb_store_bytes", Int, Ctx, Any, HelperArgumentKind.PointerToReadableMemory, HelperArgumentKind.ConstSize, Any);
        Add(10, "l3_csum_replace", Int, Ctx, Any, Any, Any, Any);
        Add(11, "l4_csum_replace", Int, Ctx, Any, Any, Any, Any);
        Add(12, "tail_call", HelperReturnKind.Void, Ctx, Map, Any);
        Add(13, "clone_redirect", Int, Ctx, Any, Any);
        Add(23, "redirect", Int, Any, Any);
        Add(25, "perf_event_output", Int, Ctx, Map, Any, HelperArgumentKind.PointerToReadableMemory, HelperArgumentKind.ConstSizeOrZero);
        Add(26, "skb_load_bytes", Int, Ctx, Any, HelperArgumentKind.PointerToWritableMemory, HelperArgumentKind.ConstSize);
        Add(28, "csum_diff", Int, HelperArgumentKind.PointerToReadableMemoryOrNull, HelperArgumentKind.ConstSizeOrZero,
            HelperArgumentKind.PointerToReadableMemoryOrNull, HelperArgumentKind.ConstSizeOrZero, Any);
        Add(34, "get_hash_recalc", Int, Ctx);
        Add(39, "skb_pull_data", Int, Ctx, Any);
        Add(40, "csum_update", Int, Ctx, Any);
        Add(87, "map_push_elem", Int, Map, HelperArgumentKind.PointerToMapValue, Any);
        Add(88, "map_pop_elem", Int, Map, HelperArgumentKind.PointerToUninitializedMapValue);
        Add(89, "map_peek_elem", Int, Map, HelperArgumentKind.PointerToUninitializedMapValue);
        Add(118, "jiffies64", Int);
        Add(125, "ktime_get_boot_ns", Int);
        Add(130, "ringbuf_output", Int, Map, HelperArgumentKind.PointerToReadableMemory, HelperArgumentKind.ConstSizeOrZero, Any);
        Add(131, "ringbuf_reserve", HelperReturnKind.PointerToRingBufferMemoryOrNull, Map, HelperArgumentKind.ConstAllocSizeOrZero, Any);
        Add(132, "ringbuf_submit", HelperReturnKind.Void, HelperArgumentKind.PointerToRingBufferMemory, Any);
        Add(133, "ringbuf_discard", HelperReturnKind.Void, HelperArgumentKind.PointerToRingBufferMemory, Any);
        Add(18, "skb_vlan_push", Int, Ctx, Any, Any);
        Add(19, "skb_vlan_pop", Int, Ctx);
        Add(31, "skb_change_proto", Int, Ctx, Any, Any);
        Add(32, "skb_change_type", Int, Ctx, Any);
        Add(38, "skb_change_tail", Int, Ctx, Any, Any);
        Add(43, "skb_change_head", Int, Ctx, Any, Any);
        Add(48, "set_hash_invalid", Int, Ctx);
        Add(49, "set_hash", Int, Ctx, Any);
        Add(50, "skb_adjust_room", Int, Ctx, Any, Any, Any);
        Add(68, "skb_load_bytes_relative", Int, Ctx, Any, HelperArgumentKind.PointerToWritableMemory, HelperArgumentKind.ConstSize, Any);
        return table;
    }
}
