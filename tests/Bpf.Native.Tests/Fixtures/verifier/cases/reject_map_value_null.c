// EXPECT: reject: R0 invalid mem access 'map_value_or_null'
// A hash lookup's result used without checking it for NULL.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} flows SEC(".maps");

SEC("classifier")
int nullcheck(struct __sk_buff *skb)
{
    __u32 key = skb->hash;
    __u64 *value = bpf_map_lookup_elem(&flows, &key);
    *value += 1;
    return TC_ACT_OK;
}
