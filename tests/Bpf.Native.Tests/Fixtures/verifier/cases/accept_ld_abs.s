# EXPECT: accept
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r6 = r1
	r0 = *(u16 *)skb[12]
	if r0 != 2048 goto .Lout
	r0 = *(u8 *)skb[14]
	r0 &= 15
	r0 <<= 2
	r7 = r0
	r7 += 16
	r0 = *(u16 *)skb[r7]
.Lout:
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
