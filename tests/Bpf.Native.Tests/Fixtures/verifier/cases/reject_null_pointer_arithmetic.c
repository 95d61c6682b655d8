// EXPECT: reject: R0 pointer arithmetic on map_value_or_null prohibited, null-check it first
// Moving a lookup result before the null check (forced with inline asm; clang would not do it).
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} values SEC(".maps");

SEC("classifier")
int arith(struct __sk_buff *skb)
{
    __u32 key = skb->mark & 3;
    __u64 *value = bpf_map_lookup_elem(&values, &key);
    asm volatile("%0 += 4" : "+r"(value));
    if (!value)
        return TC_ACT_OK;
    return *(__u32 *)value;
}
