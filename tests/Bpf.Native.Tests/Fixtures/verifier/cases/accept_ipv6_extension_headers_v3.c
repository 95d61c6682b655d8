// EXPECT: accept
// CFLAGS: -mcpu=v3 (32-bit ALU and JMP32: the 32-bit bounds)
// The same program as accept_ipv6_extension_headers.c, built for -mcpu=v3.
#include "accept_ipv6_extension_headers.c"
