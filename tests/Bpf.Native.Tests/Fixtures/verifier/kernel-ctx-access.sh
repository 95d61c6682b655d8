#!/bin/sh
# Loads one __sk_buff access (OFF SIZE R|W) into this machine's kernel as a classifier and prints the verdict.
# The table kernel-ctx-access.txt was made with: for each line "OFF SIZE RW" run: sh kernel-ctx-access.sh OFF SIZE RW
# gen.sh OFF SIZE R|W -> loads a program doing that access on the ctx; prints verdict + reason
off=$1; size=$2; rw=$3
case $size in 1) t=u8;; 2) t=u16;; 4) t=u32;; 8) t=u64;; esac
if [ $rw = R ]; then body="r0 = *($t *)(r1 + $off)"; else body="r2 = 0
	*($t *)(r1 + $off) = r2"; fi
cat > p.s <<ASM
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	$body
	r0 = 0
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
ASM
clang -target bpf -c p.s -o p.o 2>/dev/null || { echo "$off $size $rw ASMFAIL"; exit; }
out=$(bpftool prog load p.o /sys/fs/bpf/bpfv_acc type classifier 2>&1); rc=$?; rm -f /sys/fs/bpf/bpfv_acc
msg=$(echo "$out" | sed -n '/BEGIN PROG LOAD LOG/,/END PROG/p' | grep -v "^[0-9]*:" | grep -v "BEGIN\|END\|processed" | head -1)
echo "$off $size $rw $([ $rc = 0 ] && echo ok || echo "rej: $msg")"
