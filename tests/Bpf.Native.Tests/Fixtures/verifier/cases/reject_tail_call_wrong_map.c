// EXPECT: reject: expected prog array map for tail call
// bpf_tail_call needs a BPF_MAP_TYPE_PROG_ARRAY.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u32);
} notprogs SEC(".maps");

SEC("classifier")
int tail(struct __sk_buff *skb)
{
    bpf_tail_call(skb, &notprogs, 0);
    return TC_ACT_OK;
}
