// EXPECT: reject: R0 unbounded memory access, make sure to bounds check any such access
// An index taken from the packet, unchecked, into a map value.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u8[64]);
} table SEC(".maps");

SEC("classifier")
int index(struct __sk_buff *skb)
{
    __u8 *data = (void *)(long)skb->data;
    __u8 *data_end = (void *)(long)skb->data_end;
    if (data + 4 > data_end)
        return TC_ACT_OK;
    __u32 i = *(__u32 *)data;
    __u32 key = 0;
    __u8 *row = bpf_map_lookup_elem(&table, &key);
    if (!row)
        return TC_ACT_OK;
    return row[i];
}
