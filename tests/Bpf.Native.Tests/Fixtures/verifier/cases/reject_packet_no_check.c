// EXPECT: reject: invalid access to packet, off=12 size=1, R1(id=0,off=12,r=0)
// Reading the EtherType without comparing data + 14 with data_end first.
#include "../tc.h"

SEC("classifier")
int nocheck(struct __sk_buff *skb)
{
    struct ethhdr *eth = (void *)(long)skb->data;
    return eth->h_proto == bpf_htons(ETH_P_IP) ? TC_ACT_OK : TC_ACT_SHOT;
}
