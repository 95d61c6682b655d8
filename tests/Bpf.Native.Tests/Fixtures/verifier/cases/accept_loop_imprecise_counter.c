// EXPECT: accept
// A loop bounded only by a value from the packet. Its counter decides nothing the verifier must prove (no index,
// no pointer offset), so the counter stays imprecise and the second iteration is pruned by the first: accepted.
#include "../tc.h"

SEC("classifier")
int unbounded(struct __sk_buff *skb)
{
    __u32 *data = (void *)(long)skb->data;
    __u32 *data_end = (void *)(long)skb->data_end;
    if (data + 1 > data_end)
        return TC_ACT_OK;
    __u32 n = *data;
    __u32 sum = 0;
    for (__u32 i = 0; i < n; i++)
        sum += i * skb->len;
    return sum;
}
