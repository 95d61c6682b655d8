#!/usr/bin/env bash
# Forwarding benchmark, ours against the reference C forwarders, in one sitting and interleaved so that machine load
# hits both alike. Uses the shared yardsticks (lab.sh, fwd-bench.sh, ref-mmapfwd.c, ref-pcapfwd.c):
#   sudo perf/bench/compare.sh [ROUNDS]          (BENCH_DIR=path/to/shared/bench, LAB_PREFIX=... to override)
# Prints one fwd-bench line per run: offered_pps delivered_pps loss_pct cpu_ns_per_pkt. ours-mmap is the default
# without --tc (--rx-ring auto: the TPACKET_V3 block ring that ref-mmapfwd also uses), ours-mmap-frm the TPACKET_V2
# frame ring that auto picks with --tc (--rx-ring frames).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$ROOT/../shared/bench}"
[ -d "$BENCH_DIR" ] || BENCH_DIR=/work/shared/bench
ROUNDS="${1:-3}"
export LAB_PREFIX="${LAB_PREFIX:-fndbench-}"
TMP="$(mktemp -d)"
trap '"$BENCH_DIR/lab.sh" down; rm -rf "$TMP"' EXIT

"$ROOT/src/Forwarder/Lab/install-deps.sh" bench
gcc -O2 -o "$TMP/ref-mmapfwd" "$BENCH_DIR/ref-mmapfwd.c"
gcc -O2 -o "$TMP/ref-pcapfwd" "$BENCH_DIR/ref-pcapfwd.c" -lpcap
"$ROOT/forwarder" --help >/dev/null   # builds Release on first use
FWD="$ROOT/.build/forwarder/forwarder"
"$BENCH_DIR/lab.sh" up

bench() { printf '%-16s %s\n' "$1" "$("$BENCH_DIR/fwd-bench.sh" -- "${@:2}")"; }
for r in $(seq "$ROUNDS"); do
  echo "# round $r, load $(cut -d' ' -f1-3 /proc/loadavg)"
  bench ref-mmapfwd "$TMP/ref-mmapfwd" f0 f1
  bench ours-mmap "$FWD" run --in f0 --out f1 --stats-interval 0
  bench ours-mmap-frm "$FWD" run --in f0 --out f1 --rx-ring frames --stats-interval 0
  bench ref-pcapfwd "$TMP/ref-pcapfwd" f0 f1
  bench ours-pcap "$FWD" run --in f0 --out f1 --io pcap --stats-interval 0
done
