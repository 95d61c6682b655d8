# EXPECT: reject: R1 bitwise operator &= on pointer prohibited
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r1 &= 255
	r0 = 0
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
