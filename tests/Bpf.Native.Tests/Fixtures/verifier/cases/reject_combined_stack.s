# EXPECT: reject: combined stack size of 2 calls is 608. Too large
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r1 = 0
	*(u64 *)(r10 - 296) = r1
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
