# EXPECT: reject: invalid func unknown#999
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	call 999
	r0 = 0
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
