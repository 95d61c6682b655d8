// EXPECT: accept
// CFLAGS: -mcpu=v3 (32-bit ALU and JMP32: the 32-bit bounds)
// A parser of Ethernet, 802.1Q / 802.1ad VLAN, IPv4 (any header length) / IPv6 and TCP / UDP ports with direct
// packet access, written the verifier-friendly way: one cursor pointer, each header checked against data_end
// through the pointer that is then read. Sets the class and mark from the destination port.
#include "../tc.h"

struct vlan_hdr {
    __be16 tci;
    __be16 proto;
};

SEC("classifier")
int parse(struct __sk_buff *skb)
{
    void *data_end = (void *)(long)skb->data_end;
    void *cursor = (void *)(long)skb->data;
    struct ethhdr *eth = cursor;
    if ((void *)(eth + 1) > data_end)
        return TC_ACT_OK;
    cursor = eth + 1;
    __u16 proto = eth->h_proto;
    if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
        struct vlan_hdr *vlan = cursor;
        if ((void *)(vlan + 1) > data_end)
            return TC_ACT_OK;
        cursor = vlan + 1;
        proto = vlan->proto;
    }
    __u8 l4;
    if (proto == bpf_htons(ETH_P_IP)) {
        struct iphdr *ip = cursor;
        if ((void *)(ip + 1) > data_end)
            return TC_ACT_OK;
        __u32 header = ip->ihl * 4;
        if (header < sizeof(*ip))
            return TC_ACT_SHOT;
        cursor = (void *)ip + header;
        l4 = ip->protocol;
    } else if (proto == bpf_htons(ETH_P_IPV6)) {
        struct ipv6hdr *ip6 = cursor;
        if ((void *)(ip6 + 1) > data_end)
            return TC_ACT_OK;
        cursor = ip6 + 1;
        l4 = ip6->nexthdr;
    } else {
        return TC_ACT_OK;
    }
    __u16 dport;
    if (l4 == IPPROTO_TCP) {
        struct tcphdr *tcp = cursor;
        if ((void *)(tcp + 1) > data_end)
            return TC_ACT_OK;
        dport = bpf_ntohs(tcp->dest);
    } else if (l4 == IPPROTO_UDP) {
        struct udphdr *udp = cursor;
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
