// EXPECT: reject: invalid bpf_context access off=88 size=4
// family .. local_port belong to sk_skb programs; tc programs may not read them.
#include "../tc.h"

SEC("classifier")
int family(struct __sk_buff *skb)
{
    return skb->family;
}
