// EXPECT: accept
// CFLAGS: -mcpu=v3 (32-bit ALU and JMP32: the 32-bit bounds)
// A loop over up to 64 payload bytes after the UDP header, each byte checked against data_end.
#include "../tc.h"

SEC("classifier")
int sum(struct __sk_buff *skb)
{
    __u8 *data = (void *)(long)skb->data;
    __u8 *data_end = (void *)(long)skb->data_end;
    __u8 *payload = data + ETH_HLEN + sizeof(struct iphdr) + sizeof(struct udphdr);
    __u32 total = 0;
    for (int i = 0; i < 64; i++) {
        if (payload + i + 1 > data_end)
            break;
        total += payload[i];
    }
    skb->mark = total;
    return TC_ACT_OK;
}
