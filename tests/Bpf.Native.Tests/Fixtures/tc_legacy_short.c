/* An old object: struct bpf_elf_map with only the first five fields (no id, pinning or inner map fields). */
#include "bpf_fixture.h"

struct old_bpf_elf_map {
    __u32 type;
    __u32 size_key;
    __u32 size_value;
    __u32 max_elem;
    __u32 flags;
};

struct old_bpf_elf_map SEC("maps") counters = {
    .type = BPF_MAP_TYPE_PERCPU_ARRAY,
    .size_key = 4,
    .size_value = 8,
    .max_elem = 2,
};

struct old_bpf_elf_map SEC("maps") seen = {
    .type = BPF_MAP_TYPE_LRU_HASH,
    .size_key = 4,
    .size_value = 4,
    .max_elem = 100,
};

SEC("action")
int count(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u64 *value = bpf_map_lookup_elem(&counters, &key);
    if (value)
        *value += 1;
    __u32 mark = skb->mark;
    bpf_map_update_elem(&seen, &mark, &mark, BPF_ANY);
    return 0;
}
