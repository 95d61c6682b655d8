#!/bin/sh
# Regenerates oracle-netem-changes.txt: the lines of oracle-netem-changes.cases ("add ARGS" or "change ARGS") run in
# order on one root netem on the kernel oracle (Linux 6.1.0-56, iproute2 6.1.0), each followed by qdisc show.
#   sh tests/Sched.Fast.Tests/Qdiscs/Netem/Fixtures/make-oracle-netem-changes.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
script=$(mktemp /tmp/netem-oracle-XXXXXX.sh)
i=0
while IFS= read -r line || [ -n "$line" ]; do
  op=${line%% *}; args=${line#"$op"}
  echo "echo '@@@ $i $line'" >> "$script"
  echo "/sbin/tc qdisc $op dev t0 root netem $args 2>&1; echo '@@rc' \$?; /sbin/tc qdisc show dev t0; /sbin/tc -j qdisc show dev t0; echo" >> "$script"
  i=$((i + 1))
done < "$here/oracle-netem-changes.cases"
flock /tmp/kernel-tc.lock /work/shared/oracle/kernel-tc --shell-lines "$script" > "$here/oracle-netem-changes.txt"
rm -f "$script"
