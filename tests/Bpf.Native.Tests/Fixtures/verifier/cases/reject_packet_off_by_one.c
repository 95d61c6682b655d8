// EXPECT: reject: invalid access to packet, off=33 size=1, R2(id=0,off=33,r=33)
// The check covers the Ethernet and IPv4 headers up to daddr's first three bytes; the read takes the fourth.
#include "../tc.h"

SEC("classifier")
int offbyone(struct __sk_buff *skb)
{
    __u8 *data = (void *)(long)skb->data;
    __u8 *data_end = (void *)(long)skb->data_end;
    if (data + 33 > data_end)
        return TC_ACT_OK;
    return data[33];
}
