# EXPECT: reject: R1 invalid mem access 'scalar'
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r1 = 42
	r0 = *(u64 *)(r1 + 0)
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
