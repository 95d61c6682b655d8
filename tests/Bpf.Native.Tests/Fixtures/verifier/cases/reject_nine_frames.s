# EXPECT: reject: the call stack of 9 frames is too deep
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	call f1
	exit
.Lend:
	.size cls, .Lend-cls

	.text
	.macro fn name next
	.type \name,@function
\name:
	call \next
	exit
	.size \name, 16
	.endm
	fn f1 f2
	fn f2 f3
	fn f3 f4
	fn f4 f5
	fn f5 f6
	fn f6 f7
	fn f7 f8
	.type f8,@function
f8:
	r0 = 0
	exit
	.size f8, 16

	.section	license,"aw",@progbits
	.ascii	"GPL\0"
