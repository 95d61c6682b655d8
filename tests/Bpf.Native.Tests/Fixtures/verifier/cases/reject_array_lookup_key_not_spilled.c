// EXPECT: reject: R0 invalid mem access 'map_value_or_null'
// An array element looked up with a constant key may skip the NULL check only when the key is a spilled constant
// of the key size at an 8-byte aligned slot (get_constant_map_key); clang stores this one as 4 bytes at fp-4.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} stats SEC(".maps");

SEC("classifier")
int constkey(struct __sk_buff *skb)
{
    __u32 key = 2;
    __u64 *value = bpf_map_lookup_elem(&stats, &key);
    *value += skb->len;
    return TC_ACT_OK;
}
