// EXPECT: reject: R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_
// The context passed where the map key belongs.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u32);
} keys SEC(".maps");

SEC("classifier")
int argtype(struct __sk_buff *skb)
{
    return bpf_map_lookup_elem(&keys, skb) != 0;
}
