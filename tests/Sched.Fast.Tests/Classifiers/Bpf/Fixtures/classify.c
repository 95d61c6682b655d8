/* Programs for cls_bpf's two modes (tests/Sched.Fast.Tests/Classifiers/Bpf/BpfClassifierTests.cs). */
#include "tc_test.h"

/* Classic mode: the return value is the class (0 no match, -1 the filter's classid). */
SEC("classic_mark") int by_mark(struct __sk_buff *skb) { return skb->mark; }

/* Direct action: the minor of the class in tc_classid, the verdict returned. */
SEC("da_classid") int da_minor(struct __sk_buff *skb)
{
	skb->tc_classid = skb->mark & 0xffff;
	return skb->mark >> 16;
}

char __license[] SEC("license") = "GPL";
