// EXPECT: reject: R6 invalid mem access 'scalar'
// A packet pointer used after bpf_skb_store_bytes, which may have moved the packet.
#include "../tc.h"

SEC("classifier")
int stale(struct __sk_buff *skb)
{
    __u8 *data = (void *)(long)skb->data;
    __u8 *data_end = (void *)(long)skb->data_end;
    if (data + 14 > data_end)
        return TC_ACT_OK;
    __u8 zero = 0;
    bpf_skb_store_bytes(skb, 0, &zero, 1, 0);
    return data[13];
}
