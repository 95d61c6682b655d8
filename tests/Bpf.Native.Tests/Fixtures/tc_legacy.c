/* tc's legacy map definitions (struct bpf_elf_map in section "maps") with tc pinning, two programs. */
#include "bpf_fixture.h"

struct bpf_elf_map SEC("maps") flow_counts = {
    .type = BPF_MAP_TYPE_HASH,
    .size_key = sizeof(__u32),
    .size_value = sizeof(__u64),
    .max_elem = 1024,
    .pinning = PIN_GLOBAL_NS,
};

struct bpf_elf_map SEC("maps") verdicts = {
    .type = BPF_MAP_TYPE_ARRAY,
    .size_key = sizeof(__u32),
    .size_value = sizeof(__u32),
    .max_elem = 4,
    .pinning = PIN_OBJECT_NS,
};

struct bpf_elf_map SEC("maps") jump_table = {
    .type = BPF_MAP_TYPE_PROG_ARRAY,
    .size_key = sizeof(__u32),
    .size_value = sizeof(__u32),
    .max_elem = 8,
    .id = 7,
};

SEC("classifier")
int cls_main(struct __sk_buff *skb)
{
    __u32 key = skb->mark;
    __u64 one = 1;
    __u64 *count = bpf_map_lookup_elem(&flow_counts, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&flow_counts, &key, &one, BPF_ANY);
    bpf_tail_call(skb, &jump_table, 0);
    return -1;
}

SEC("action")
int act_main(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u32 *verdict = bpf_map_lookup_elem(&verdicts, &key);
    return verdict ? *verdict : 0;
}

char __license[] SEC("license") = "GPL";
