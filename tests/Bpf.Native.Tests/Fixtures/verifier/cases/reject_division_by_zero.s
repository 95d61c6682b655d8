# EXPECT: reject: div by zero
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r0 = 1
	r0 /= 0
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
