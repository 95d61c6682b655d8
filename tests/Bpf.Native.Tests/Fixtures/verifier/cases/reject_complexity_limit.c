// EXPECT: reject: BPF program is too large. Processed 1000001 insn
// A loop bounded by a value from the packet whose counter indexes the packet: each iteration is a new state, and
// the verifier walks them until the limit of one million instructions.
#include "../tc.h"

SEC("classifier")
int unbounded(struct __sk_buff *skb)
{
    __u8 *data = (void *)(long)skb->data;
    __u8 *data_end = (void *)(long)skb->data_end;
    if (data + 64 > data_end)
        return TC_ACT_OK;
    __u32 n = *(__u32 *)data;
    __u32 sum = 0;
    for (__u32 i = 0; i < n; i++)
        sum += data[i & 63];
    return sum;
}
