// EXPECT: accept
// Enough live values across helper calls that clang spills the context and a map value pointer to the stack.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64[4]);
} slots SEC(".maps");

SEC("classifier")
int spills(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u64 *v = bpf_map_lookup_elem(&slots, &key);
    if (!v)
        return TC_ACT_OK;
    __u64 a = bpf_ktime_get_ns();
    __u64 b = bpf_get_prandom_u32();
    __u64 c = bpf_get_smp_processor_id();
    __u64 d = bpf_ktime_get_ns();
    v[0] += a ^ skb->len;
    v[1] += b ^ skb->mark;
    v[2] += c ^ skb->priority;
    v[3] += d - a;
    skb->cb[0] = a + b + c + d;
    return TC_ACT_OK;
}
