// EXPECT: reject: math between map_value pointer and register with unbounded min value is not allowed
// A signed index checked only against the upper bound of a map value.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32[16]);
} table SEC(".maps");

SEC("classifier")
int signedindex(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u32 *row = bpf_map_lookup_elem(&table, &key);
    if (!row)
        return TC_ACT_OK;
    int i = (int)skb->mark;
    if (i >= 16)
        return TC_ACT_OK;
    return row[i];
}
