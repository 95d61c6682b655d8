// EXPECT: reject: write into map forbidden, value_size=4 off=0 size=4
// A const global lives in .rodata, frozen and read-only for programs.
#include "../tc.h"

const volatile __u32 threshold = 100;

SEC("classifier")
int rodata(struct __sk_buff *skb)
{
    *(volatile __u32 *)&threshold = skb->len;
    return TC_ACT_OK;
}
