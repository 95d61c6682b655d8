# EXPECT: reject: jump out of range from insn 1 to 7
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r0 = 0
	.quad 0x0000000000050005
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
