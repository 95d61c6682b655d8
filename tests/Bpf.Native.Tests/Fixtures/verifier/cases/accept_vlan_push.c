// EXPECT: accept
// Tag untagged IPv4 traffic with VLAN 100, then read the frame again through fresh pointers.
#include "../tc.h"

static long (*bpf_skb_vlan_push)(struct __sk_buff *skb, __be16 vlan_proto, __u16 vlan_tci) = (void *) 18;

SEC("classifier")
int tag(struct __sk_buff *skb)
{
    if (skb->vlan_present || skb->protocol != bpf_htons(ETH_P_IP))
        return TC_ACT_OK;
    if (bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), 100) < 0)
        return TC_ACT_SHOT;
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end)
        return TC_ACT_SHOT;
    skb->mark = eth->h_proto;
    return TC_ACT_OK;
}
