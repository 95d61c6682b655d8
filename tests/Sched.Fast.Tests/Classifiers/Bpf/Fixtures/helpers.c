/* The tc helper set, one program per behaviour (tests/Sched.Fast.Tests/Classifiers/Bpf/TcHelperTests.cs). */
#include "tc_test.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, __u32);
} fifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("h_load_bytes") int load_bytes(struct __sk_buff *skb)
{
	__u16 type = 0;
	if (bpf_skb_load_bytes(skb, 12, &type, 2))
		return -1;
	return __builtin_bswap16(type);
}

SEC("h_load_bytes_oob") int load_bytes_oob(struct __sk_buff *skb)
{
	__u32 word = 0x55555555;
	long err = bpf_skb_load_bytes(skb, skb->len - 2, &word, 4);
	return word == 0 ? err : 1;
}

SEC("h_load_relative") int load_relative(struct __sk_buff *skb)
{
	__u8 proto = 0;
	if (bpf_skb_load_bytes_relative(skb, 9, &proto, 1, BPF_HDR_START_NET))
		return -1;
	return proto;
}

SEC("h_store_bytes") int store_bytes(struct __sk_buff *skb)
{
	__u8 mac[6] = { 2, 0, 0, 0, 0, 0x42 };
	return bpf_skb_store_bytes(skb, 0, mac, 6, BPF_F_INVALIDATE_HASH);
}

/* TTL 64 -> 63 with the IPv4 header checksum fixed by l3_csum_replace. */
SEC("h_l3_csum") int l3_csum(struct __sk_buff *skb)
{
	__u16 old = 0, new;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + 8, &old, 2))
		return -1;
	new = old - 1; /* the TTL is the first byte: little-endian low byte */
	if (bpf_skb_store_bytes(skb, ETH_HLEN + 8, &new, 2, 0))
		return -2;
	return bpf_l3_csum_replace(skb, ETH_HLEN + 10, old, new, 2);
}

/* UDP destination port 53 -> 5353 with the UDP checksum fixed (pseudo header not involved). */
SEC("h_l4_csum") int l4_csum(struct __sk_buff *skb)
{
	__u16 old = htons(53), new = htons(5353);
	int off = ETH_HLEN + 20;
	if (bpf_skb_store_bytes(skb, off + 2, &new, 2, 0))
		return -2;
	return bpf_l4_csum_replace(skb, off + 6, old, new, 2 | BPF_F_MARK_MANGLED_0);
}

SEC("h_csum_diff") int csum_diff(struct __sk_buff *skb)
{
	__be32 from[2] = { 0x01020304, 0x05060708 };
	__be32 to[2] = { 0x11121314, 0x15161718 };
	return bpf_csum_diff(from, 8, to, 8, 0x1234);
}

SEC("h_csum_update") int csum_update(struct __sk_buff *skb) { return bpf_csum_update(skb, 1); }

SEC("h_redirect") int redirect(struct __sk_buff *skb) { return bpf_redirect(7, BPF_F_INGRESS); }

SEC("h_redirect_bad") int redirect_bad(struct __sk_buff *skb) { return bpf_redirect(7, 0x100); }

SEC("h_clone_redirect") int clone_redirect(struct __sk_buff *skb)
{
	long err = bpf_clone_redirect(skb, 9, 0);
	return err * 100 + bpf_clone_redirect(skb, 999, 0);
}

SEC("h_hash") int hash(struct __sk_buff *skb)
{
	bpf_set_hash(skb, 0x1234);
	if (bpf_get_hash_recalc(skb) != 0x1234 || skb->hash != 0x1234)
		return -1;
	bpf_set_hash_invalid(skb);
	if (skb->hash != 0)
		return -2;
	return bpf_get_hash_recalc(skb) == skb->hash;
}

SEC("h_vlan") int vlan(struct __sk_buff *skb)
{
	if (bpf_skb_vlan_push(skb, htons(ETH_P_8021Q), 42))
		return -1;
	if (!skb->vlan_present || skb->vlan_tci != 42 || skb->len != 54)
		return -2;
	if (bpf_skb_vlan_push(skb, htons(ETH_P_8021AD), 7))
		return -3;
	if (skb->len != 58 || skb->vlan_tci != 7 || skb->protocol != htons(ETH_P_8021Q))
		return -4;
	if (bpf_skb_vlan_pop(skb))
		return -5;
	if (skb->len != 54 || skb->vlan_tci != 42 || skb->protocol != htons(ETH_P_IP))
		return -6;
	return bpf_skb_vlan_pop(skb) == 0 && !skb->vlan_present ? 1 : -7;
}

SEC("h_change_tail") int change_tail(struct __sk_buff *skb)
{
	if (bpf_skb_change_tail(skb, skb->len + 10, 0))
		return -1;
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	if (data + 64 > end)
		return -2;
	return skb->len + ((__u8 *)data)[63];
}

SEC("h_change_head") int change_head(struct __sk_buff *skb)
{
	if (bpf_skb_change_head(skb, 14, 0))
		return -1;
	return skb->len;
}

SEC("h_change_head_huge") int change_head_huge(struct __sk_buff *skb) { return bpf_skb_change_head(skb, 4000, 0); }

SEC("h_adjust_room") int adjust_room(struct __sk_buff *skb)
{
	if (bpf_skb_adjust_room(skb, 8, BPF_ADJ_ROOM_MAC, 0))
		return -1;
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	if (data + 24 > end)
		return -2;
	/* the Ethernet header stays in front, eight zero bytes follow, then the IP header */
	return skb->len * 1000 + ((__u8 *)data)[14] + ((__u8 *)data)[22];
}

SEC("h_change_proto") int change_proto(struct __sk_buff *skb)
{
	if (bpf_skb_change_proto(skb, htons(ETH_P_IPV6), 0))
		return -1;
	return skb->protocol == htons(ETH_P_IPV6) ? skb->len : -2;
}

SEC("h_change_type") int change_type(struct __sk_buff *skb)
{
	if (bpf_skb_change_type(skb, 3))
		return -1;
	return bpf_skb_change_type(skb, 4) == -22 ? skb->pkt_type : -2;
}

SEC("h_pull_data") int pull_data(struct __sk_buff *skb) { return bpf_skb_pull_data(skb, 14) * 1000 + bpf_skb_pull_data(skb, 100000); }

SEC("h_map_counts") int map_counts(struct __sk_buff *skb)
{
	__u32 key = skb->mark;
	__u64 one = 1, *count = bpf_map_lookup_elem(&counters, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&counters, &key, &one, BPF_NOEXIST);
	__u32 v = skb->len, out = 0;
	bpf_map_push_elem(&fifo, &v, 0);
	if (bpf_map_peek_elem(&fifo, &out))
		return -1;
	return out;
}

SEC("h_queue_pop") int queue_pop(struct __sk_buff *skb)
{
	__u32 out = 0;
	long err = bpf_map_pop_elem(&fifo, &out);
	return err ? err : out;
}

SEC("h_map_delete") int map_delete(struct __sk_buff *skb)
{
	__u32 key = skb->mark;
	return bpf_map_delete_elem(&counters, &key);
}

SEC("h_time") int time(struct __sk_buff *skb)
{
	__u64 a = bpf_ktime_get_ns(), b = bpf_ktime_get_ns();
	if (a == 0 || b < a)
		return -1;
	if (bpf_ktime_get_boot_ns() < a / 2)
		return -2;
	if (bpf_jiffies64() < 4294892296ULL)
		return -3;
	if (bpf_get_smp_processor_id() > 4096)
		return -4;
	__u32 r1 = bpf_get_prandom_u32(), r2 = bpf_get_prandom_u32();
	return r1 != r2;
}

SEC("h_trace") int trace(struct __sk_buff *skb)
{
	char fmt[] = "len=%u mark=%x %s\n";
	char word[] = "ok";
	return bpf_trace_printk(fmt, sizeof(fmt), skb->len, skb->mark, word);
}

SEC("h_ringbuf") int ringbuf(struct __sk_buff *skb)
{
	__u32 *slot = bpf_ringbuf_reserve(&events, 4, 0);
	if (!slot)
		return -1;
	*slot = skb->len;
	bpf_ringbuf_submit(slot, 0);
	__u32 mark = skb->mark;
	return bpf_ringbuf_output(&events, &mark, 4, 0);
}

char __license[] SEC("license") = "GPL";
