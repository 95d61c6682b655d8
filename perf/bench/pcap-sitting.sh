#!/usr/bin/env bash
# --io pcap builds against ref-pcapfwd, in one sitting and interleaved (the shared fwd-bench.sh yardstick):
#   perf/bench/pcap-sitting.sh ROUNDS NAME=PATH/TO/forwarder ... [ref]
# e.g. perf/bench/pcap-sitting.sh 3 old=/tmp/pcap-old/.build/forwarder/forwarder new=.build/forwarder/forwarder ref
# (build an old commit with `git clone . /tmp/pcap-old && git -C /tmp/pcap-old checkout COMMIT && /tmp/pcap-old/forwarder --help`).
# Root only. Prints one fwd-bench line per run: offered_pps delivered_pps loss_pct cpu_ns_per_pkt.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$ROOT/../shared/bench}"
[ -d "$BENCH_DIR" ] || BENCH_DIR=/work/shared/bench
export LAB_PREFIX="${LAB_PREFIX:-pcapbench-}"
ROUNDS="$1"; shift
TMP="$(mktemp -d)"
trap '"$BENCH_DIR/lab.sh" down; rm -rf "$TMP"' EXIT
gcc -O2 -o "$TMP/ref-pcapfwd" "$BENCH_DIR/ref-pcapfwd.c" -lpcap
"$BENCH_DIR/lab.sh" up
bench() { printf '%-16s %s\n' "$1" "$("$BENCH_DIR/fwd-bench.sh" -- "${@:2}")"; }
for r in $(seq "$ROUNDS"); do
  echo "# round $r, load $(cut -d' ' -f1-3 /proc/loadavg)"
  for v in "$@"; do
    if [ "$v" = ref ]; then bench ref-pcapfwd "$TMP/ref-pcapfwd" f0 f1
    else bench "${v%%=*}" "${v#*=}" run --in f0 --out f1 --io pcap --stats-interval 0 --name "${LAB_PREFIX}bench"; fi
  done
done
