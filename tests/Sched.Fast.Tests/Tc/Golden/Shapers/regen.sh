#!/bin/sh
# Regenerates the golden files of the shapers (tbf, htb) from the kernel oracle: for each case, the batch NAME.tc
# runs with tc -b on a real Linux 6.1 (Debian 12, iproute2 6.1.0), then every line of NAME.cmds runs as its own tc
# command (stdout and stderr). Review the diffs before committing.
cd "$(dirname "$0")"
for tc in tbf htb; do
  set --
  while IFS= read -r line; do set -- "$@" "$line"; done < "$tc.cmds"
  flock /tmp/kernel-tc.lock /work/shared/oracle/kernel-tc "$tc.tc" "$@" > "$tc.golden"
done
