# EXPECT: reject: infinite loop detected at insn 1
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r0 = 0
.Lspin:
	if r0 == 0 goto .Lspin
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
