# EXPECT: reject: at the time of BPF_LD_ABS|IND R6 != pointer to skb
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r6 = r10
	r0 = *(u8 *)skb[12]
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
