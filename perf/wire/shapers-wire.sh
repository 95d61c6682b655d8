#!/bin/bash
# On-the-wire check for tbf and htb (issue 6, item 8): shape the path gen -> sink to 10 Mbit/s in ns fwd, measure
# with iperf3 (TCP, 20 s, receiver side) and check the result is within +-2% of the rate. Shapers count Ethernet
# frames (qdisc_pkt_len: 1514 bytes for a full segment) while iperf3 reports TCP payload (MSS, 1448 bytes with
# timestamps), so the goodput is converted back to frame bytes: rate = goodput * (MSS + 66) / MSS.
#   shapers-wire.sh kernel [tbf|htb|all]     the kernel's own qdiscs: a Linux bridge in ns fwd, qdisc on f1
#   shapers-wire.sh forwarder [tbf|htb|all]  our datapath bridging f0 <-> f1 (AF_PACKET rings) with the same tc
#                                            lines, through perf/wire/ShaperWire until `forwarder bridge` takes a
#                                            tc configuration (FORWARDER_RUN overrides the command)
# Namespaces are prefixed qdisc-shapers- (LAB_PREFIX) and removed at the end. Addresses: 198.18.0.0/15.
# Offloads are off on all veths so both sides shape MTU-sized frames. TBF_OPTS (default "burst 16kb latency 50ms")
# and HTB_CLASS_OPTS (default none: tc's 1600-byte bursts) change the shaper options.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB=${LAB_SH:-$ROOT/../../shared/bench/lab.sh}
[ -x "$LAB" ] || LAB=/work/shared/bench/lab.sh
export LAB_PREFIX=${LAB_PREFIX:-qdisc-shapers-}
GEN=${LAB_PREFIX}gen FWD=${LAB_PREFIX}fwd SINK=${LAB_PREFIX}sink
MODE=${1:-kernel} WHICH=${2:-all}
if [ "$MODE" = forwarder ] && [ -z "${FORWARDER_RUN:-}" ]; then
  dotnet build -c Release "$ROOT/perf/wire/ShaperWire" --nologo -v quiet >/dev/null
fi
SECONDS_RUN=${SECONDS_RUN:-20}
RATE_MBIT=10
# How our side is started: bridge f0 and f1 with a tc batch applied (the batch file is appended).
FORWARDER_RUN=${FORWARDER_RUN:-"dotnet $ROOT/perf/wire/ShaperWire/bin/Release/net10.0/ShaperWire.dll f0 f1"}

declare -A CONFIG=(
  [tbf]="qdisc add dev f1 root handle 1: tbf rate ${RATE_MBIT}mbit ${TBF_OPTS:-burst 16kb latency 50ms}"
  [htb]="qdisc add dev f1 root handle 1: htb default 10
class add dev f1 parent 1: classid 1:10 htb rate ${RATE_MBIT}mbit ${HTB_CLASS_OPTS:-}"
)

cleanup() { [ -n "${FWD_PID:-}" ] && kill "$FWD_PID" 2>/dev/null; "$LAB" down; }
trap cleanup EXIT

measure() { # kind -> prints achieved Mbit/s
  local kind=$1 batch
  "$LAB" up offloads-off
  batch=$(mktemp)
  printf '%s\n' "${CONFIG[$kind]}" > "$batch"
  if [ "$MODE" = kernel ]; then
    ip -n "$FWD" link add br0 type bridge
    ip -n "$FWD" link set f0 master br0; ip -n "$FWD" link set f1 master br0; ip -n "$FWD" link set br0 up
    ip netns exec "$FWD" tc -b "$batch"
  else
    ip netns exec "$FWD" $FORWARDER_RUN "$batch" > /tmp/${LAB_PREFIX}forwarder.log 2>&1 &
    FWD_PID=$!
    for _ in $(seq 50); do grep -q "bridging" /tmp/${LAB_PREFIX}forwarder.log 2>/dev/null && break; sleep 0.2; done
    grep -q "bridging" /tmp/${LAB_PREFIX}forwarder.log || { cat /tmp/${LAB_PREFIX}forwarder.log >&2; exit 3; }
  fi
  ip netns exec "$SINK" iperf3 -s -1 -D -B 198.18.0.2 >/dev/null
  sleep 0.5
  local bps
  bps=$(ip netns exec "$GEN" iperf3 -c 198.18.0.2 -t "$SECONDS_RUN" -O 2 -J | python3 -c \
    'import json,sys; j=json.load(sys.stdin); g=j["end"]["sum_received"]["bits_per_second"]; m=j["start"]["tcp_mss_default"]; print(g, g*(m+66)/m)')
  [ "$MODE" = kernel ] && ip netns exec "$FWD" tc -s qdisc show dev f1 >&2
  if [ -n "${FWD_PID:-}" ]; then
    kill -TERM "$FWD_PID"; wait "$FWD_PID" 2>/dev/null || true; FWD_PID=
    cat /tmp/${LAB_PREFIX}forwarder.log >&2
  fi
  rm -f "$batch"
  "$LAB" down
  python3 -c "g,l=map(float,'$bps'.split()); print(f'{g/1e6:.3f} {l/1e6:.3f}')"
}

status=0
for kind in tbf htb; do
  [ "$WHICH" = all ] || [ "$WHICH" = "$kind" ] || continue
  read -r goodput mbit < <(measure "$kind")
  verdict=$(python3 -c "r=$mbit/$RATE_MBIT; print('ok' if abs(r-1)<=0.02 else 'FAIL')")
  echo "$MODE $kind rate ${RATE_MBIT}mbit: iperf3 TCP goodput ${goodput} Mbit/s = ${mbit} Mbit/s of frames ($verdict, +-2%)"
  [ "$verdict" = ok ] || status=1
done
exit $status
