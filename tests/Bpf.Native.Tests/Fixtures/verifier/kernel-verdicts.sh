#!/bin/sh
# Builds every verifier case (cases/*.c with clang -O2 -g plus a "// CFLAGS: ..." option on its second line, cases/*.s
# with clang's assembler) and loads it into this
# machine's kernel as a classifier with bpftool, as a privileged loader. Prints one line per case:
#   NAME accept
#   NAME reject REASON            (the first line of the kernel's reason, after the last instruction of the log)
# The committed kernel-verdicts.txt was made with (as root): sh kernel-verdicts.sh > kernel-verdicts.txt
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
echo "# $(uname -r), $(bpftool version | head -1), $(clang --version | head -1)"
for src in "$here"/cases/*.c "$here"/cases/*.s; do
  [ -e "$src" ] || continue
  name=$(basename "$src"); name=${name%.*}
  case "$src" in
    *.c) flags=$(sed -n 's|^// CFLAGS: \([^ ]*\).*|\1|p' "$src" | head -1)
         clang -O2 -g -target bpf $flags -I/usr/include/$(gcc -print-multiarch) -c "$src" -o "$out/$name.o" ;;
    *.s) clang -target bpf -c "$src" -o "$out/$name.o" ;;
  esac || { echo "$name build-failed"; continue; }
  log=$(bpftool prog load "$out/$name.o" /sys/fs/bpf/verifier_case type classifier 2>&1); rc=$?
  rm -f /sys/fs/bpf/verifier_case
  if [ $rc -eq 0 ]; then
    echo "$name accept"
  else
    body=$(printf '%s\n' "$log" | sed -n '/BEGIN PROG LOAD LOG/,/END PROG LOAD LOG/p' | sed '1d;$d')
    last=$(printf '%s\n' "$body" | grep -n '^[0-9][0-9]*: (' | tail -1 | cut -d: -f1)
    if [ -n "$last" ]; then
      reason=$(printf '%s\n' "$body" | sed -n "$((last + 1))p")
    else
      reason=$(printf '%s\n' "$body" | grep -v '^$' | head -1)
    fi
    [ -n "$reason" ] || reason=$(printf '%s\n' "$log" | grep -i error | head -1)
    # A few kernel messages have no newline, so the statistics line follows on the same line.
    reason=$(printf '%s' "$reason" | sed 's/processed [0-9]* insns (limit.*$//')
    echo "$name reject $reason"
  fi
done
rm -rf "$out"
