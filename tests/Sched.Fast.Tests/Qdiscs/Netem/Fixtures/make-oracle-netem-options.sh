#!/bin/sh
# Regenerates oracle-netem-options.txt: every line of oracle-netem-options.cases is added as a fresh root netem
# on the kernel oracle (Debian 12: Linux 6.1.0-56, iproute2 6.1.0), then shown as text and JSON.
#   sh tests/Sched.Fast.Tests/Qdiscs/Netem/Fixtures/make-oracle-netem-options.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
script=$(mktemp /tmp/netem-oracle-XXXXXX.sh)
i=0
while IFS= read -r args || [ -n "$args" ]; do
  echo "echo '@@@ $i $args'" >> "$script"
  echo "/sbin/tc qdisc del dev t0 root 2>/dev/null; /sbin/tc qdisc add dev t0 root netem $args 2>&1; echo '@@rc' \$?; /sbin/tc qdisc show dev t0; /sbin/tc -j qdisc show dev t0; echo" >> "$script"
  i=$((i + 1))
done < "$here/oracle-netem-options.cases"
flock /tmp/kernel-tc.lock /work/shared/oracle/kernel-tc --shell-lines "$script" > "$here/oracle-netem-options.txt"
rm -f "$script"
