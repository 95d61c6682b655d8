# EXPECT: reject: R1 subtraction from stack pointer prohibited
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r1 = r10
	r1 -= 8
	r0 = *(u64 *)(r1 + 0)
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
