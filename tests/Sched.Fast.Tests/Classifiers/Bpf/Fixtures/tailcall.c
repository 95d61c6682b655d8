/* tc's legacy tail calls: the program of section "1/0" goes into slot 0 of the prog array whose id is 1. */
#include "tc_test.h"

struct bpf_elf_map SEC("maps") jumps = { .type = BPF_MAP_TYPE_PROG_ARRAY, .size_key = 4, .size_value = 4, .max_elem = 2, .id = 1 };

SEC("1/0") int target(struct __sk_buff *skb)
{
	skb->mark = 99;
	return 42;
}

SEC("classifier") int entry(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &jumps, skb->mark);
	return 7; /* no program in the slot */
}

char __license[] SEC("license") = "GPL";
