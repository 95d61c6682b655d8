#!/bin/sh
# Regenerates oracle-6.1.golden: the kernel oracle (Debian's 6.1 kernel, iproute2 6.1) runs tags.tc with the seed
# classifier (built with its exact command) and parser.o (built from ../Fixtures/parser.c as the tests build it).
set -e
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cp "$here/tags.tc" "$work/"
cp "$here/../../../../Bpf.Native.Tests/Fixtures/seed/"* "$work/"
(cd "$work" && clang -O2 -emit-llvm -I/usr/include/$(gcc -print-multiarch) -c cls.c -o - | llc -march=bpf -filetype=obj -o cls.o)
clang -O2 -g -target bpf -I/usr/include/$(gcc -print-multiarch) -I"$here/../Fixtures" -c "$here/../Fixtures/parser.c" -o "$work/parser.o"
flock /tmp/kernel-tc.lock /work/shared/oracle/kernel-tc "$work/tags.tc" 'filter show dev t0 ingress' 'filter show dev t0 egress' \
    'actions list action bpf' > "$here/oracle-6.1.golden"
rm -rf "$work"
