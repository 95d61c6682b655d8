# EXPECT: reject: invalid shift 64
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r0 = 1
	r0 <<= 64
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
