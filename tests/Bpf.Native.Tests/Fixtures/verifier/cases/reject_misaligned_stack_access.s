# EXPECT: reject: misaligned stack access off 0+0+-300 size 8
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r1 = 0
	*(u64 *)(r10 - 300) = r1
	call inner
	r0 = 0
	exit
.Lend:
	.size cls, .Lend-cls

	.text
	.type inner,@function
inner:
	r1 = 0
	*(u64 *)(r10 - 304) = r1
	r0 = 0
	exit
	.size inner, 32

	.section	license,"aw",@progbits
	.ascii	"GPL\0"
