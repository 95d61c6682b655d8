# EXPECT: reject: R1 32-bit pointer arithmetic prohibited
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	w1 += 4
	r0 = 0
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
