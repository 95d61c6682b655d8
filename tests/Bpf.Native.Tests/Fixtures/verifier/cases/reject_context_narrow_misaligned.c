// EXPECT: reject: invalid bpf_context access off=9 size=2
// A 2-byte read of mark starting at its second byte.
#include "../tc.h"

SEC("classifier")
int narrow(struct __sk_buff *skb)
{
    return *(volatile __u16 *)((char *)&skb->mark + 1);
}
