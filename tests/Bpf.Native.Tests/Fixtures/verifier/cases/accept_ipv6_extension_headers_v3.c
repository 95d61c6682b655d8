// EXPECT: accept
// CFLAGS: -mcpu=v3 (32-bit ALU and JMP32: the 32-bit bounds)
// A bounded walk over up to 6 IPv6 extension headers (hop-by-hop, routing, destination options) to the L4 header.
#include "../tc.h"

struct ext {
    __u8 next;
    __u8 len;
};

SEC("classifier")
int ext6(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct ipv6hdr *ip6 = data + ETH_HLEN;
    if ((void *)(ip6 + 1) > data_end)
        return TC_ACT_OK;
    __u8 next = ip6->nexthdr;
    void *cursor = ip6 + 1;
    for (int i = 0; i < 6; i++) {
        if (next != IPPROTO_HOPOPTS && next != IPPROTO_ROUTING && next != IPPROTO_DSTOPTS)
            break;
        struct ext *e = cursor;
        if ((void *)(e + 1) > data_end)
            return TC_ACT_OK;
        next = e->next;
        cursor += (e->len + 1) * 8;
    }
    skb->mark = next;
    return TC_ACT_OK;
}
