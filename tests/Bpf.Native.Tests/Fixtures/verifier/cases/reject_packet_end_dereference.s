# EXPECT: reject: R2 invalid mem access 'pkt_end'
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	r2 = *(u32 *)(r1 + 80)
	r0 = *(u8 *)(r2 + 0)
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
