// EXPECT: accept
// A counter map per IP protocol (hash map, lookup then update on a miss) and a total in an array map.
#include "../tc.h"

struct counters {
    __u64 packets;
    __u64 bytes;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 256);
    __type(key, __u32);
    __type(value, struct counters);
} per_proto SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} total SEC(".maps");

SEC("classifier")
int count(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    struct iphdr *ip = data + sizeof(*eth);
    if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
        return TC_ACT_OK;
    __u32 key = ip->protocol;
    struct counters *c = bpf_map_lookup_elem(&per_proto, &key);
    if (c) {
        __sync_fetch_and_add(&c->packets, 1);
        __sync_fetch_and_add(&c->bytes, skb->len);
    } else {
        struct counters fresh = { 1, skb->len };
        bpf_map_update_elem(&per_proto, &key, &fresh, BPF_NOEXIST);
    }
    __u32 zero = 0;
    __u64 *sum = bpf_map_lookup_elem(&total, &zero);
    if (sum)
        __sync_fetch_and_add(sum, 1);
    return TC_ACT_OK;
}
