// EXPECT: reject: invalid unbounded variable-offset read from stack R2
// An unbounded index into a stack array.
#include "../tc.h"

SEC("classifier")
int unboundedstack(struct __sk_buff *skb)
{
    volatile __u32 counts[16] = {};
    __u32 i = skb->mark;
    counts[i] += 1;
    return counts[0];
}
