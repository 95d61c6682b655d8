// EXPECT: reject: invalid access to packet, off=2 size=2, R2(id=2,off=2,r=0)
// A realistic mistake: the L4 header pointer is computed as data + offset twice; clang checks one copy against
// data_end and reads through the other, which has no proven range.
#include "../tc.h"

struct vlan_hdr {
    __be16 tci;
    __be16 proto;
};

SEC("classifier")
int parse(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    __u64 offset = sizeof(*eth);
    if (data + offset > data_end)
        return TC_ACT_OK;
    __u16 proto = eth->h_proto;
    if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
        struct vlan_hdr *vlan = data + offset;
        offset += sizeof(*vlan);
        if (data + offset > data_end)
            return TC_ACT_OK;
        proto = vlan->proto;
    }
    __u8 l4;
    if (proto == bpf_htons(ETH_P_IP)) {
        struct iphdr *ip = data + offset;
        if ((void *)(ip + 1) > data_end)
            return TC_ACT_OK;
        if (ip->ihl < 5)
            return TC_ACT_SHOT;
        offset += ip->ihl * 4;
        l4 = ip->protocol;
    } else if (proto == bpf_htons(ETH_P_IPV6)) {
        struct ipv6hdr *ip6 = data + offset;
        if ((void *)(ip6 + 1) > data_end)
            return TC_ACT_OK;
        offset += sizeof(*ip6);
        l4 = ip6->nexthdr;
    } else {
        return TC_ACT_OK;
    }
    __u16 dport;
    if (l4 == IPPROTO_TCP) {
        struct tcphdr *tcp = data + offset;
        if ((void *)(tcp + 1) > data_end)
            return TC_ACT_OK;
        dport = bpf_ntohs(tcp->dest);
    } else if (l4 == IPPROTO_UDP) {
        struct udphdr *udp = data + offset;
        if ((void *)(udp + 1) > data_end)
            return TC_ACT_OK;
        dport = bpf_ntohs(udp->dest);
    } else {
        return TC_ACT_OK;
    }
    skb->tc_classid = 0x10000 | (dport & 0xff);
    skb->mark = dport;
    return TC_ACT_OK;
}
