// EXPECT: accept
// A signed index checked on both sides, then used in a map value; a test of single bits with &.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32[16]);
} table SEC(".maps");

SEC("classifier")
int signedcmp(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u32 *row = bpf_map_lookup_elem(&table, &key);
    if (!row)
        return TC_ACT_OK;
    int i = (int)skb->mark;
    if (i < 0 || i >= 16)
        return TC_ACT_OK;
    if (skb->priority & 4)
        row[i] += 1;
    return row[i];
}
