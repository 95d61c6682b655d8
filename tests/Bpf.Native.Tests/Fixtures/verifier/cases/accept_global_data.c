// EXPECT: accept
// Global variables: a read-only threshold in .rodata (its value known to the verifier), counters in .bss and .data.
#include "../tc.h"

const volatile __u32 threshold = 1000;
__u64 dropped;
__u64 passed = 0x100;

SEC("classifier")
int globals(struct __sk_buff *skb)
{
    if (skb->len > threshold) {
        __sync_fetch_and_add(&dropped, 1);
        return TC_ACT_SHOT;
    }
    __sync_fetch_and_add(&passed, 1);
    return TC_ACT_OK;
}
