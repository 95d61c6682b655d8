/* A tc parser of about 60 lines with direct packet access: Ethernet, up to two VLAN tags, IPv4 (with options) or
 * IPv6, TCP or UDP ports. Returns (L4 protocol << 16) | destination port, 0 for anything else. */
#include "tc_test.h"

struct vlan_hdr { __be16 tci; __be16 proto; };

static __always_inline int parse_ports(void *l4, void *end, __u8 proto)
{
	if (proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > end)
			return 0;
		return (IPPROTO_TCP << 16) | __builtin_bswap16(tcp->dest);
	}
	if (proto == IPPROTO_UDP) {
		struct udphdr *udp = l4;
		if ((void *)(udp + 1) > end)
			return 0;
		return (IPPROTO_UDP << 16) | __builtin_bswap16(udp->dest);
	}
	return 0;
}

SEC("classifier") int parse(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	void *cursor = eth + 1;
	if (cursor > end)
		return 0;
	__be16 proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != htons(ETH_P_8021Q) && proto != htons(ETH_P_8021AD))
			break;
		struct vlan_hdr *vlan = cursor;
		if ((void *)(vlan + 1) > end)
			return 0;
		proto = vlan->proto;
		cursor = vlan + 1;
	}
	if (proto == htons(ETH_P_IP)) {
		struct iphdr *ip = cursor;
		if ((void *)(ip + 1) > end)
			return 0;
		if (ip->ihl < 5)
			return 0;
		return parse_ports((void *)ip + ip->ihl * 4, end, ip->protocol);
	}
	if (proto == htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = cursor;
		if ((void *)(ip6 + 1) > end)
			return 0;
		return parse_ports(ip6 + 1, end, ip6->nexthdr);
	}
	return 0;
}

char __license[] SEC("license") = "GPL";
