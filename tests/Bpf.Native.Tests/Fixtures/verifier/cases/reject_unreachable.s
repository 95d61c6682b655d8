# EXPECT: reject: unreachable insn 2
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r0 = 0
	exit
	r0 = 1
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
