// EXPECT: reject: Unreleased reference id=2 alloc_insn=6
// A ring buffer record reserved and never submitted or discarded on one path.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

SEC("classifier")
int leak(struct __sk_buff *skb)
{
    __u32 len = skb->len;
    __u32 *record = bpf_ringbuf_reserve(&events, 8, 0);
    if (!record)
        return TC_ACT_OK;
    record[0] = len;
    if (len > 100)
        return TC_ACT_SHOT;
    bpf_ringbuf_submit(record, 0);
    return TC_ACT_OK;
}
