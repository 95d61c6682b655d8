#!/bin/sh
# Which helper ids may a privileged sched_cls program call? Loads "call N; r0 = 0; exit" for every id into this
# machine's kernel and prints the first line of the verifier's reason (nothing when the program loads).
# Ids refused with "program of this type cannot use helper" are not allowed for the type; any other outcome
# (loaded, or refused for its arguments) means the kernel has a prototype for it. Run as root:
#   sh kernel-helper-probe.sh > kernel-helper-probe.txt
set -u
dir=$(mktemp -d)
for n in $(seq 1 215); do
  cat > "$dir/p.s" <<ASM
	.section	classifier,"ax",@progbits
	.globl	cls
	.type	cls,@function
cls:
	call $n
	r0 = 0
	exit
.Lend:
	.size cls, .Lend-cls
	.section	license,"aw",@progbits
	.ascii	"GPL\0"
ASM
  clang -target bpf -c "$dir/p.s" -o "$dir/p.o"
  out=$(bpftool prog load "$dir/p.o" /sys/fs/bpf/helper_probe type classifier 2>&1); rc=$?
  rm -f /sys/fs/bpf/helper_probe
  msg=$(echo "$out" | sed -n '/BEGIN PROG LOAD LOG/,/END PROG/p' | grep -v "^[0-9]*:" | grep -v "BEGIN\|END\|processed" | head -2 | tr '\n' '|')
  echo "$n rc=$rc $msg"
done
rm -rf "$dir"
