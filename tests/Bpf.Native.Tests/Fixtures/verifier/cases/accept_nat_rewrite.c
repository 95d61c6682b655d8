// EXPECT: accept
// A NAT-style rewrite of the IPv4 destination and the TCP/UDP destination port, with the checksums fixed by
// bpf_l3_csum_replace / bpf_l4_csum_replace (the pseudo-header flag for the address) and bpf_skb_store_bytes.
#include "../tc.h"

#define IP_DST_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, daddr))
#define IP_CSUM_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, check))

SEC("classifier")
int nat(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    struct iphdr *ip = data + sizeof(*eth);
    if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
        return TC_ACT_OK;
    __u8 proto = ip->protocol;
    __be32 old_ip = ip->daddr;
    __be32 new_ip = bpf_htonl(0xc6120002); /* 198.18.0.2 */
    __u32 l4_csum_off;
    __u32 l4_port_off = ETH_HLEN + sizeof(struct iphdr) + __builtin_offsetof(struct tcphdr, dest);
    if (proto == IPPROTO_TCP)
        l4_csum_off = ETH_HLEN + sizeof(struct iphdr) + __builtin_offsetof(struct tcphdr, check);
    else if (proto == IPPROTO_UDP)
        l4_csum_off = ETH_HLEN + sizeof(struct iphdr) + __builtin_offsetof(struct udphdr, check);
    else
        return TC_ACT_OK;
    __be16 old_port;
    if (bpf_skb_load_bytes(skb, l4_port_off, &old_port, sizeof(old_port)) < 0)
        return TC_ACT_SHOT;
    __be16 new_port = bpf_htons(8080);
    bpf_l4_csum_replace(skb, l4_csum_off, old_ip, new_ip, BPF_F_PSEUDO_HDR | sizeof(new_ip));
    bpf_l4_csum_replace(skb, l4_csum_off, old_port, new_port, sizeof(new_port));
    bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_ip, new_ip, sizeof(new_ip));
    bpf_skb_store_bytes(skb, IP_DST_OFF, &new_ip, sizeof(new_ip), 0);
    bpf_skb_store_bytes(skb, l4_port_off, &new_port, sizeof(new_port), 0);
    /* Packet pointers are stale after the helpers: reload before touching the packet again. */
    data = (void *)(long)skb->data;
    data_end = (void *)(long)skb->data_end;
    ip = data + sizeof(struct ethhdr);
    if ((void *)(ip + 1) > data_end)
        return TC_ACT_SHOT;
    return ip->daddr == new_ip ? TC_ACT_OK : TC_ACT_SHOT;
}
