// EXPECT: accept
// A sample of the first 14 bytes of each frame through bpf_perf_event_output.
#include "../tc.h"

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} samples SEC(".maps");

SEC("classifier")
int sample(struct __sk_buff *skb)
{
    __u8 head[14] = {};
    if (bpf_skb_load_bytes(skb, 0, head, sizeof(head)) < 0)
        return TC_ACT_OK;
    bpf_perf_event_output(skb, &samples, 0xffffffffULL, head, sizeof(head));
    return TC_ACT_OK;
}
