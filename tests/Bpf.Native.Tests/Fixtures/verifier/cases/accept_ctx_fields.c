// EXPECT: accept
// Every writable __sk_buff field, narrow reads of mark and protocol, cb[] at several sizes, data_meta.
#include "../tc.h"

SEC("classifier")
int fields(struct __sk_buff *skb)
{
    __u8 low = *(volatile __u8 *)&skb->mark;
    __u16 proto = *(volatile __u16 *)&skb->protocol;
    skb->mark = low + proto + skb->len + skb->ifindex + skb->hash + skb->vlan_tci + skb->napi_id;
    skb->priority = skb->ingress_ifindex;
    skb->tc_index = skb->queue_mapping;
    skb->tc_classid = 0x10001;
    skb->queue_mapping = 1;
    skb->cb[0] = skb->pkt_type;
    skb->cb[4] = skb->gso_segs + skb->gso_size + skb->wire_len;
    *(volatile __u64 *)&skb->cb[1] = skb->tstamp;
    skb->tstamp = skb->hwtstamp;
    void *meta = (void *)(long)skb->data_meta;
    void *data = (void *)(long)skb->data;
    if (meta + 4 <= data)
        skb->cb[3] = *(__u32 *)meta;
    return skb->vlan_present ? TC_ACT_OK : TC_ACT_UNSPEC;
}
