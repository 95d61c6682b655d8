// EXPECT: reject: invalid access to map value, value_size=8 off=8 size=4
// Writing the third 32-bit word of an 8-byte value.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} small SEC(".maps");

SEC("classifier")
int oob(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u32 *words = bpf_map_lookup_elem(&small, &key);
    if (!words)
        return TC_ACT_OK;
    words[2] = skb->len;
    return TC_ACT_OK;
}
