// EXPECT: accept
// bpf_csum_diff over stack buffers and over packet bytes, then an incremental IPv4 checksum update in place.
#include "../tc.h"

SEC("classifier")
int diff(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct iphdr *ip = data + ETH_HLEN;
    if ((void *)(ip + 1) > data_end)
        return TC_ACT_OK;
    __be32 from[2] = { ip->saddr, ip->daddr };
    __be32 to[2] = { ip->daddr, ip->saddr };
    __s64 sum = bpf_csum_diff(from, sizeof(from), to, sizeof(to), 0);
    __s64 header = bpf_csum_diff(0, 0, (__be32 *)ip, sizeof(*ip), 0);
    ip->saddr = to[0];
    ip->daddr = to[1];
    skb->mark = (__u32)(sum + header);
    return TC_ACT_OK;
}
