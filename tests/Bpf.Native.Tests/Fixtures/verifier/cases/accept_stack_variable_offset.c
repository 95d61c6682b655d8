// EXPECT: accept
// A table on the stack indexed by a bounded value from the packet: variable-offset stack reads and writes.
#include "../tc.h"

SEC("classifier")
int table(struct __sk_buff *skb)
{
    __u8 *data = (void *)(long)skb->data;
    __u8 *data_end = (void *)(long)skb->data_end;
    volatile __u32 counts[16] = {};
    if (data + 2 > data_end)
        return TC_ACT_OK;
    __u32 a = data[0] & 15;
    __u32 b = data[1] & 15;
    counts[a] += 1;
    counts[b] += 2;
    return counts[a] + counts[b];
}
