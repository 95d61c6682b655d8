// EXPECT: accept
// CFLAGS: -mcpu=v3 (32-bit ALU and JMP32: the 32-bit bounds)
// bpf-to-bpf calls: functions taking the context, a packet pointer and data_end, and a stack buffer.
#include "../tc.h"

static __noinline int ip_protocol(void *data, void *data_end)
{
    struct iphdr *ip = data + ETH_HLEN;
    if ((void *)(ip + 1) > data_end)
        return -1;
    return ip->protocol;
}

static __noinline int fill(__u32 *words, int n, __u32 seed)
{
    for (int i = 0; i < n && i < 4; i++)
        words[i] = seed + i;
    return words[0];
}

static __noinline __u32 mark_of(struct __sk_buff *skb, int proto)
{
    __u32 words[4] = {};
    skb->cb[0] = fill(words, 4, proto);
    return words[3] ^ skb->mark;
}

SEC("classifier")
int calls(struct __sk_buff *skb)
{
    int proto = ip_protocol((void *)(long)skb->data, (void *)(long)skb->data_end);
    if (proto < 0)
        return TC_ACT_OK;
    skb->mark = mark_of(skb, proto);
    return TC_ACT_OK;
}
