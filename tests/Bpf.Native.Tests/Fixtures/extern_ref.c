/* A program that needs an extern (libbpf's kconfig), which this loader refuses with a clear error. */
#include "bpf_fixture.h"

extern unsigned int LINUX_KERNEL_VERSION __attribute__((section(".kconfig"), weak));

SEC("classifier")
int uses_extern(struct __sk_buff *skb)
{
    return LINUX_KERNEL_VERSION > 0;
}

char __license[] SEC("license") = "GPL";
