# EXPECT: reject: cannot return stack pointer to the caller
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	call fn
	r0 = 0
	exit
.Lend:
	.size cls, .Lend-cls

	.text
	.type fn,@function
fn:
	r0 = r10
	exit
	.size fn, 16

	.section	license,"aw",@progbits
	.ascii	"GPL\0"
