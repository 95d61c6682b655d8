// EXPECT: reject: invalid bpf_context access off=0 size=4
// skb->len is read-only for tc programs.
#include "../tc.h"

SEC("classifier")
int writelen(struct __sk_buff *skb)
{
    skb->len = 64;
    return TC_ACT_OK;
}
