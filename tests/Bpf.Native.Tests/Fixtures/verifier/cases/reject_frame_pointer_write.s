# EXPECT: reject: frame pointer is read only
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	.quad 0x0000000000000ab7
	r0 = 0
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
