# EXPECT: reject: dereference of modified ctx ptr R1 off=8 disallowed
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r1 += 8
	r0 = *(u32 *)(r1 + 0)
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
