/* libbpf-style BTF-defined maps of many types, global data, and bpf-to-bpf calls. */
#include "bpf_fixture.h"

struct flow_key {
    __u32 saddr;
    __u32 daddr;
    __u16 sport;
    __u16 dport;
    __u8 proto;
};

struct flow_stats {
    __u64 packets;
    __u64 bytes;
};

struct lpm_v4_key {
    __u32 prefixlen;
    __u8 addr[4];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct flow_key);
    __type(value, struct flow_stats);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} flows SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} per_cpu_counters SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 128);
    __uint(key_size, 8);
    __uint(value_size, 8);
} recent SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 255);
    __type(key, struct lpm_v4_key);
    __type(value, __u32);
    __uint(map_flags, BPF_F_NO_PREALLOC);
} routes SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 32);
    __type(value, __u32);
} work SEC(".maps");

struct inner_map {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u32);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 4);
    __type(key, __u32);
    __array(values, struct inner_map);
} outer SEC(".maps") = {
    .values = { [0] = &inner_a, [2] = &inner_b },
};

int tail_target(struct __sk_buff *skb);

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __array(values, int(struct __sk_buff *));
} jumps SEC(".maps") = {
    .values = { [1] = (void *)&tail_target },
};

volatile __u32 drop_mark = 7;             /* .data */
const volatile __u32 max_len = 1500;      /* .rodata */
__u64 seen_packets;                       /* .bss */

static __noinline __u32 classify_len(__u32 len)
{
    return len > max_len ? 2 : 0;
}

__noinline int count_packet(struct __sk_buff *skb)
{
    seen_packets++;
    __u32 key = 0;
    __u64 *slot = bpf_map_lookup_elem(&per_cpu_counters, &key);
    if (slot)
        *slot += 1;
    return skb->len;
}

SEC("tc")
int tc_ingress(struct __sk_buff *skb)
{
    struct flow_key key = {};
    key.saddr = skb->mark;
    struct flow_stats *stats = bpf_map_lookup_elem(&flows, &key);
    if (stats) {
        stats->packets++;
        stats->bytes += skb->len;
    }
    count_packet(skb);
    if (skb->mark == drop_mark)
        return 2;
    __u32 item = skb->len;
    bpf_map_push_elem(&work, &item, 0);
    bpf_ringbuf_output(&events, &item, sizeof(item), 0);
    return classify_len(skb->len);
}

SEC("tcx/ingress")
int tail_target(struct __sk_buff *skb)
{
    struct lpm_v4_key key = { .prefixlen = 32 };
    __u32 *route = bpf_map_lookup_elem(&routes, &key);
    return (route ? *route : 0) + count_packet(skb);
}

SEC("classifier/extra")
int by_section_name(struct __sk_buff *skb)
{
    bpf_tail_call(skb, &jumps, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
