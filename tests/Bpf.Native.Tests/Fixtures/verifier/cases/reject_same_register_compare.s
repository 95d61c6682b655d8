# EXPECT: reject: R1 !read_ok
# "if r9 s< r9" is never true, but Linux 6.18 does not know it: it explores the jump, where r1 was clobbered by
# the helper call, and neither side may narrow r9 as if it were two registers.
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r6 = r1
	r9 = *(u32 *)(r1 + 8)
	r9 &= 8
	call 7
	r0 = 0
	if r9 s< r9 goto .Lskip
	r1 = r6
.Lskip:
	r0 = *(u32 *)(r1 + 8)
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
