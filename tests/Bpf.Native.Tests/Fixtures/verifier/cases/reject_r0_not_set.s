# EXPECT: reject: R0 !read_ok
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
