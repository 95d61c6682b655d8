#!/bin/sh
# Regenerates the disassembly golden files from clang-built objects (Debian clang/llvm 14). Review the diff.
# Run from this directory: ./regenerate.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$(dirname "$here")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The seed classifier, built exactly as a user builds it (examples/seed/README.md).
(cd "$fixtures/seed" && clang -O2 -emit-llvm -I/usr/include/$(gcc -print-multiarch) -c cls.c -o - \
    | llc -march=bpf -filetype=obj -o "$work/cls.o")
llvm-objdump -d --section=classify "$work/cls.o" | sed "s|$work/||" > "$here/cls.classify.objdump"

clang -O2 -target bpf -mcpu=v3 -c "$fixtures/disasm/mixed.c" -o "$work/mixed.o"
llvm-objdump -d --section=classify "$work/mixed.o" | sed "s|$work/||" > "$here/mixed.classify.objdump"
llvm-objdump -d --section=.text "$work/mixed.o" | sed "s|$work/||" > "$here/mixed.text.objdump"

clang -target bpf -mcpu=v3 -c "$fixtures/disasm/all-v3.s" -o "$work/all-v3.o"
llvm-objdump -d --section=.text "$work/all-v3.o" | sed "s|$work/||" > "$here/all-v3.text.objdump"
