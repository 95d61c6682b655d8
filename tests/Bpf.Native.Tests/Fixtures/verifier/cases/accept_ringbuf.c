// EXPECT: accept
// An event per packet in a ring buffer: reserve, fill, submit; discard for short frames; output for long ones.
#include "../tc.h"

struct event {
    __u32 len;
    __u32 mark;
    __u64 timestamp;
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

static void (*bpf_ringbuf_discard)(void *data, __u64 flags) = (void *) 133;

SEC("classifier")
int record(struct __sk_buff *skb)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return TC_ACT_OK;
    e->len = skb->len;
    e->mark = skb->mark;
    e->timestamp = bpf_ktime_get_ns();
    if (skb->len < 60) {
        bpf_ringbuf_discard(e, 0);
        return TC_ACT_OK;
    }
    bpf_ringbuf_submit(e, 0);
    if (skb->len > 1000) {
        struct event big = { skb->len, skb->mark, 0 };
        bpf_ringbuf_output(&events, &big, sizeof(big), 0);
    }
    return TC_ACT_OK;
}
