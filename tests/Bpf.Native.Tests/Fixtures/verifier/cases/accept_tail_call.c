// EXPECT: accept
// A jump table: tail call by IP protocol, falling through when the slot is empty.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 256);
    __type(key, __u32);
    __type(value, __u32);
} jump SEC(".maps");

SEC("classifier")
int dispatch(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct iphdr *ip = data + ETH_HLEN;
    if ((void *)(ip + 1) > data_end)
        return TC_ACT_OK;
    bpf_tail_call(skb, &jump, ip->protocol);
    return TC_ACT_UNSPEC;
}
