// EXPECT: accept
// An array element looked up with a constant key inside the array always exists: Linux 6.14 and later accept the
// result without a NULL check when the key is a spilled constant (here forced to an 8-byte aligned slot).
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
    __u32 key __attribute__((aligned(8))) = 2;
    __u64 *value = bpf_map_lookup_elem(&stats, &key);
    *value += skb->len;
    return TC_ACT_OK;
}
