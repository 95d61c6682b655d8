#!/usr/bin/env bash
# A qdisc's counters on the wire, ours and the kernel's on the same veths with the same UDP traffic, one after the
# other; for overlimits (how often a throttled shaper was asked to dequeue) and drops, which wirecheck.py does not
# compare:
#   sudo perf/bench/overlimits-wire.sh kernel|ours 'TC LINES FOR f1' [SECONDS] [UDP_RATE]
# Lab: shared/bench/lab.sh (namespaces ${LAB_PREFIX:-dpovl-}{gen,fwd,sink}, gen -- f0 [fwd] f1 -- sink), permanent
# neighbours. kernel: tc mirred *mirror* f0 <-> f1 as perf/wire does (a redirected skb keeps the sender's socket, whose
# send buffer then paces the UDP sender; a clone has none); ours: `forwarder bridge f0 f1 --tc FILE`. Traffic:
# iperf3 UDP at UDP_RATE (default 20M) in 1400-byte datagrams for SECONDS (default 10). Prints the 1-minute load
# average, then `tc -s qdisc show dev f1` of the side under test (ours through its control socket), and for ours its
# totals with the qdisc deadline lateness.
# Example: perf/bench/overlimits-wire.sh ours 'qdisc add dev f1 root handle 1: tbf rate 10mbit burst 1600 latency 50ms'
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$ROOT/../shared/bench}"
[ -d "$BENCH_DIR" ] || BENCH_DIR=/work/shared/bench
MODE=$1 CONF=$2 SECS=${3:-10} RATE=${4:-20M}
export LAB_PREFIX="${LAB_PREFIX:-dpovl-}"
GEN=${LAB_PREFIX}gen FWD=${LAB_PREFIX}fwd SINK=${LAB_PREFIX}sink
NAME="${LAB_PREFIX}ours"
TMP="$(mktemp -d)"
FPID=
cleanup() {
  [ -n "$FPID" ] && kill -INT "$FPID" 2>/dev/null && wait "$FPID" 2>/dev/null
  [ -f "$TMP/srv.pid" ] && kill "$(cat "$TMP/srv.pid")" 2>/dev/null
  "$BENCH_DIR/lab.sh" down; rm -rf "$TMP"
}
trap cleanup EXIT
printf '%s\n' "$CONF" > "$TMP/batch.tc"
chmod 644 "$TMP/batch.tc"

"$ROOT/forwarder" --help >/dev/null
FWDBIN="$ROOT/.build/forwarder/forwarder"
"$BENCH_DIR/lab.sh" up
for ns in $GEN $FWD $SINK; do   # wait for the carriers (linkwatch is asynchronous)
  for _ in $(seq 50); do ip -n "$ns" -o link | grep -q 'state UP' && break; sleep 0.1; done
done
GMAC=$(ip -n "$GEN" -br link show g0 | awk '{print $3}'); SMAC=$(ip -n "$SINK" -br link show s0 | awk '{print $3}')
ip -n "$GEN" neigh replace 198.18.0.2 lladdr "$SMAC" dev g0 nud permanent
ip -n "$SINK" neigh replace 198.18.0.1 lladdr "$GMAC" dev s0 nud permanent
if [ "$MODE" = kernel ]; then
  for pair in "f0 f1" "f1 f0"; do set -- $pair
    ip netns exec "$FWD" tc qdisc add dev "$1" handle ffff: ingress
    ip netns exec "$FWD" tc filter add dev "$1" parent ffff: protocol all u32 match u32 0 0 action mirred egress mirror dev "$2"
  done
  ip netns exec "$FWD" tc -b "$TMP/batch.tc"
else
  ip netns exec "$FWD" "$FWDBIN" bridge f0 f1 --stats-interval 0 --name "$NAME" --tc "$TMP/batch.tc" > "$TMP/fwd.log" 2>&1 &
  FPID=$!
  for _ in $(seq 100); do grep -q "bridging" "$TMP/fwd.log" && break; sleep 0.2; done
  grep -q "bridging" "$TMP/fwd.log" || { cat "$TMP/fwd.log" >&2; exit 3; }
fi
ip netns exec "$SINK" iperf3 -s -1 -D -B 198.18.0.2 -I "$TMP/srv.pid" >/dev/null
sleep 0.5
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
ip netns exec "$GEN" iperf3 -c 198.18.0.2 -u -b "$RATE" -l 1400 -t "$SECS" -J > "$TMP/iperf.json" || true
python3 - "$TMP/iperf.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["end"]["sum"]
print(f"udp: sent {s['packets']} datagrams, {s['packets'] - s['lost_packets']} received "
      f"({(s['packets'] - s['lost_packets']) * 1442 * 8 / s['seconds'] / 1e6:.3f} Mbit/s of frames)")
PY
if [ "$MODE" = kernel ]; then
  ip netns exec "$FWD" tc -s qdisc show dev f1 | grep -v ingress -A3 | head -6
else
  "$FWDBIN" tc --instance "$NAME" -s qdisc show dev f1
  kill -INT "$FPID"; wait "$FPID" || true; FPID=
  grep -E "qdisc deadlines|f1:" "$TMP/fwd.log" || true
fi
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
