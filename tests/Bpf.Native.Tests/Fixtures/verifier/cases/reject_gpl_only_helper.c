// EXPECT: reject: cannot call GPL-restricted function from non-GPL compatible program
// bpf_probe_read_kernel (gpl_only) from an object that is not GPL licensed.
#define LICENSE "Proprietary"
#include "../tc.h"

static long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *unsafe_ptr) = (void *) 113;

SEC("classifier")
int probe(struct __sk_buff *skb)
{
    __u64 value = 0;
    bpf_probe_read_kernel(&value, sizeof(value), (void *)(long)skb->mark);
    return value;
}
