/* End to end: a program counting into a hash map, an array and global data, run by both engines. */
#include "bpf_fixture.h"

struct input {
    __u32 key;
    __u32 amount;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} totals SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} runs SEC(".maps");

__u64 last_key;
const volatile __u64 bonus = 1000;

static __noinline __u64 with_bonus(__u64 amount)
{
    return amount + bonus;
}

SEC("classifier")
int count(struct input *in)
{
    __u32 key = in->key;
    __u64 amount = with_bonus(in->amount);
    __u64 *total = bpf_map_lookup_elem(&totals, &key);
    if (total)
        __sync_fetch_and_add(total, amount);
    else
        bpf_map_update_elem(&totals, &key, &amount, BPF_ANY);
    __u32 zero = 0;
    __u64 *count = bpf_map_lookup_elem(&runs, &zero);
    if (count)
        *count += 1;
    last_key = key;
    return total ? 1 : 0;
}

char __license[] SEC("license") = "GPL";
