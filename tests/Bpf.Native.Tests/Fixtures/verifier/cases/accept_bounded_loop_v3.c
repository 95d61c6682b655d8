// EXPECT: accept
// CFLAGS: -mcpu=v3 (32-bit ALU and JMP32: the 32-bit bounds)
// A bounded loop over TCP options (at most 10, each checked against data_end) looking for the MSS option.
#include "../tc.h"

SEC("classifier")
int mss(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct iphdr *ip = data + ETH_HLEN;
    struct tcphdr *tcp = (void *)(ip + 1);
    if ((void *)(tcp + 1) > data_end || ip->protocol != IPPROTO_TCP || ip->ihl != 5)
        return TC_ACT_OK;
    __u8 *opt = (void *)(tcp + 1);
    for (int i = 0; i < 10; i++) {
        if ((void *)(opt + 2) > data_end)
            break;
        __u8 kind = opt[0];
        if (kind == 0)
            break;
        if (kind == 1) {
            opt++;
            continue;
        }
        __u8 len = opt[1];
        if (kind == 2 && len == 4) {
            if ((void *)(opt + 4) > data_end)
                break;
            skb->mark = (opt[2] << 8) | opt[3];
            return TC_ACT_OK;
        }
        if (len < 2)
            break;
        opt += len;
    }
    return TC_ACT_OK;
}
