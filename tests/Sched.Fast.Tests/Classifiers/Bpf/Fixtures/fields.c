/* Context reads and writes: one program per __sk_buff field (tests/Sched.Fast.Tests/Classifiers/Bpf). */
#include "tc_test.h"

#define READ(field) SEC("r_" #field) int read_##field(struct __sk_buff *skb) { return skb->field; }
READ(len)
READ(pkt_type)
READ(mark)
READ(queue_mapping)
READ(protocol)
READ(vlan_present)
READ(vlan_tci)
READ(vlan_proto)
READ(priority)
READ(ingress_ifindex)
READ(ifindex)
READ(tc_index)
READ(hash)
READ(tc_classid)
READ(napi_id)
READ(wire_len)
READ(gso_segs)
READ(gso_size)

SEC("r_cb") int read_cb(struct __sk_buff *skb) { return skb->cb[0] + skb->cb[1] * 2 + skb->cb[4] * 3; }
SEC("r_cb64") int read_cb64(struct __sk_buff *skb) { return (int)(*(volatile __u64 *)&skb->cb[2] >> 8); }
SEC("r_tstamp") int read_tstamp(struct __sk_buff *skb) { return (int)(skb->tstamp >> 4); }
SEC("r_data") int read_data(struct __sk_buff *skb) { return (int)(long)((void *)(long)skb->data_end - (void *)(long)skb->data); }
SEC("r_data_meta") int read_data_meta(struct __sk_buff *skb) { return (void *)(long)skb->data_meta == (void *)(long)skb->data; }
SEC("r_sk") int read_sk(struct __sk_buff *skb) { return skb->sk == 0; }

/* Narrow reads: a byte or half of a field. */
SEC("n_mark_b1") int narrow_mark_b1(struct __sk_buff *skb) { return ((volatile __u8 *)&skb->mark)[1]; }
SEC("n_mark_h1") int narrow_mark_h1(struct __sk_buff *skb) { return ((volatile __u16 *)&skb->mark)[1]; }
SEC("n_protocol_b0") int narrow_protocol_b0(struct __sk_buff *skb) { return ((volatile __u8 *)&skb->protocol)[0]; }
SEC("n_protocol_h1") int narrow_protocol_h1(struct __sk_buff *skb) { return ((volatile __u16 *)&skb->protocol)[1]; }
SEC("n_len_b0") int narrow_len_b0(struct __sk_buff *skb) { return ((volatile __u8 *)&skb->len)[0]; }

SEC("w_fields") int write_fields(struct __sk_buff *skb)
{
	/* volatile: clang would merge neighbouring stores into one the verifier refuses */
	volatile struct __sk_buff *v = skb;
	v->mark = 0x11223344;
	v->priority = 0x10002;
	v->tc_index = 0x1234567;
	v->tc_classid = 0x50006;
	v->queue_mapping = 3;
	v->cb[0] = 1;
	v->cb[4] = 5;
	v->tstamp = 123456789;
	return 0;
}

SEC("w_queue_none") int write_queue_none(struct __sk_buff *skb)
{
	skb->queue_mapping = 0xffff;
	return skb->queue_mapping;
}

SEC("w_cb_bytes") int write_cb_bytes(struct __sk_buff *skb)
{
	((volatile __u8 *)skb->cb)[5] = 0xab;
	((volatile __u16 *)skb->cb)[4] = 0xcdef;
	return skb->cb[1];
}

char __license[] SEC("license") = "GPL";
