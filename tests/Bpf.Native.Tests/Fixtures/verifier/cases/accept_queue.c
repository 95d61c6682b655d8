// EXPECT: accept
// Push every packet's length on a queue map and pop the oldest when a mark asks for it.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 64);
    __type(value, __u32);
} lengths SEC(".maps");

SEC("classifier")
int queue(struct __sk_buff *skb)
{
    __u32 len = skb->len;
    bpf_map_push_elem(&lengths, &len, 0);
    if (skb->mark == 1) {
        __u32 oldest;
        if (bpf_map_pop_elem(&lengths, &oldest) == 0)
            skb->cb[0] = oldest;
    }
    return TC_ACT_OK;
}
