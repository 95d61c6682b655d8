#!/bin/sh
# Regenerates NAME.out from NAME.cmds by running every command through the kernel oracle (a real kernel and
# iproute2 6.1 under qemu), each as its own tc process, recording exit code, stdout and stderr.
#   tests/Sched.Fast.Tests/Classifiers/Golden/regen.sh NAME [NAME ...]
# Commit NAME.out together with NAME.cmds; review the diff.
set -e
here=$(cd "$(dirname "$0")" && pwd)
for name in "$@"; do
    lines=$(mktemp /tmp/tcf-golden-XXXXXX.sh)
    n=0
    grep -v '^\s*\(#\|$\)' "$here/$name.cmds" | while IFS= read -r cmd; do
        n=$((n + 1))
        printf 'tc %s >/tmp/o 2>/tmp/e; echo "### %d rc=$?"; cat /tmp/o; echo "<<<"; cat /tmp/e; echo "<<<"\n' "$cmd" "$n"
    done > "$lines"
    flock /tmp/kernel-tc.lock /work/shared/oracle/kernel-tc --shell-lines "$lines" > "$here/$name.out"
    rm -f "$lines"
    echo "$name: $(grep -c '^### ' "$here/$name.out") commands"
done
