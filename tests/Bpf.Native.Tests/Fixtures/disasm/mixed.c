// A classifier-shaped function that makes clang emit most of the cpu v3 instruction set: 64- and 32-bit ALU,
// every comparison (JMP and JMP32), loads and stores of each size, atomics, 64-bit constants, helper calls,
// a program-local call and legacy packet loads.
typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef long long s64;
typedef int s32;

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

static long (*helper_one)(u64 a, u64 b) = (void *)1;
static long (*helper_two)(void *p, u32 n) = (void *)2;

struct counters { u64 packets; u64 bytes; u32 flags; u16 port; u8 proto; };

__attribute__((noinline)) static u64 mix(u64 a, u64 b, u64 c)
{
	u64 x = a * 0x9e3779b97f4a7c15ULL;
	x ^= b >> 7;
	x += c << 3;
	x = (x % 1000003) + (x / 7);
	return x - c / 3 - b % 5;
}

__attribute__((section("classify"), used))
int classify_main(void *skb)
{
	struct counters c = {};
	u32 proto = load_byte(skb, 23);
	u32 sport = load_half(skb, 34);
	u32 word = load_word(skb, 26);
	u32 ihl = (load_byte(skb, 14) & 0x0f) << 2;
	u32 dport = load_half(skb, 14 + ihl + 2);
	s32 s = (s32)word;

	c.packets = 1;
	c.bytes = word;
	c.flags = proto;
	c.port = (u16)sport;
	c.proto = (u8)proto;
	__sync_fetch_and_add(&c.packets, 2);
	__sync_fetch_and_or(&c.bytes, dport);
	__sync_fetch_and_xor(&c.bytes, 0x55);
	__sync_fetch_and_and(&c.flags, sport);
	u64 old = __sync_val_compare_and_swap(&c.bytes, 5, word);
	u64 swapped = __atomic_exchange_n(&c.packets, old, 0);
	u32 old32 = __sync_fetch_and_add(&c.flags, 7);

	if (proto == 6 && sport > 1023)
		return 1;
	if (s < -5 || s >= 100)
		return 2;
	if ((s64)swapped <= -7 || swapped < 3)
		return 3;
	if (dport != 53 && (s64)old > 0)
		return 4;
	if (word & 0x80000000u)
		return (int)(word >> 24) ^ 0x3f;
	helper_two(&c, sizeof(c));
	long r = helper_one(mix(word, sport, c.port), c.proto);
	u32 narrow = (u32)r * 3u;
	narrow = (narrow | 0x10) & ~0x4u;
	narrow = narrow / (dport | 1) + narrow % (sport | 1);
	s32 signed_narrow = (s32)narrow >> 3;
	u64 wide = ((u64)narrow << 40) | 0x123456789abcULL;
	wide = -wide;
	return (int)(wide >> 33) + signed_narrow + old32 + (int)__builtin_bswap32(word) + (int)__builtin_bswap16((u16)dport)
		+ (int)__builtin_bswap64(wide);
}

char __license[] __attribute__((section("license"), used)) = "GPL";
