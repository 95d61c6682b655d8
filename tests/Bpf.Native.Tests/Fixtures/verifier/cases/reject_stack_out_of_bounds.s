# EXPECT: reject: invalid write to stack R10 off=-520 size=8
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r1 = 0
	*(u64 *)(r10 - 520) = r1
	r0 = 0
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
