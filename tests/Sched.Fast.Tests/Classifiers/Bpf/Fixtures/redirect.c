/* A direct-action program at f0's ingress: counts every frame in "seen", drops them until "target" names a device,
 * then redirects them there with bpf_redirect(). Both maps are tc-pinned (PIN_GLOBAL_NS) so another process reads
 * and sets them while the forwarder runs. */
#include "tc_test.h"

struct bpf_elf_map SEC("maps") target = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 4, .max_elem = 1, .pinning = 2 };
struct bpf_elf_map SEC("maps") seen = { .type = BPF_MAP_TYPE_ARRAY, .size_key = 4, .size_value = 8, .max_elem = 1, .pinning = 2 };

SEC("classifier") int redirect_all(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&seen, &zero);
	if (count)
		__sync_fetch_and_add(count, 1);
	__u32 *ifindex = bpf_map_lookup_elem(&target, &zero);
	if (!ifindex || *ifindex == 0)
		return TC_ACT_SHOT;
	return bpf_redirect(*ifindex, 0);
}

char __license[] SEC("license") = "GPL";
