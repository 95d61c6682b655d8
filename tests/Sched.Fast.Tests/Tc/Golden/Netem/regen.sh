#!/bin/sh
# Regenerates the golden file of netem from the kernel oracle: the batch netem.tc runs with tc -b on a real
# Linux 6.1 (Debian 12: 6.1.0-56, iproute2 6.1.0), then every line of netem.cmds runs as its own tc command (stdout
# and stderr). Review the diff before committing.
#   sh tests/Sched.Fast.Tests/Tc/Golden/Netem/regen.sh
cd "$(dirname "$0")"
set --
while IFS= read -r line; do set -- "$@" "$line"; done < netem.cmds
flock /tmp/kernel-tc.lock /work/shared/oracle/kernel-tc netem.tc "$@" > netem.golden
