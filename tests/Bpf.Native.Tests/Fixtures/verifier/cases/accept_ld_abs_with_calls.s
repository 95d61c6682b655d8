# EXPECT: accept
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r6 = r1
	r0 = *(u8 *)skb[12]
	call fn
	exit
.Lend:
	.size cls, .Lend-cls
	.text
	.type fn,@function
fn:
	r0 = 1
	exit
	.size fn, 16
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
