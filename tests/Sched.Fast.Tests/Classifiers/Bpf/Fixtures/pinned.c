/* tc's legacy pinning: a PIN_GLOBAL_NS map lands at <pin root>/tc/globals/hits, shared by every object naming it. */
#include "tc_test.h"

struct bpf_elf_map SEC("maps") hits = {
	.type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 8, .max_elem = 256, .pinning = 2 /* PIN_GLOBAL_NS */,
};

SEC("classifier") int count_tos(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	if (data + 16 > end)
		return 0;
	__u32 tos = ((__u8 *)data)[15];
	__u64 *count = bpf_map_lookup_elem(&hits, &tos);
	if (count)
		__sync_fetch_and_add(count, 1);
	return -1;
}

char __license[] SEC("license") = "GPL";
