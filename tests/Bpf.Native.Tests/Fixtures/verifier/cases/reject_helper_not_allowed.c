// EXPECT: reject: program of this type cannot use helper bpf_xdp_adjust_head#44
// An XDP helper called from a classifier.
#include "../tc.h"

SEC("classifier")
int xdphelper(struct __sk_buff *skb)
{
    return bpf_xdp_adjust_head(skb, 4);
}
