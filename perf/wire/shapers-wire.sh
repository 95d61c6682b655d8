#!/bin/bash
# On-the-wire check for tbf and htb (issue 6, item 8): shape the path gen -> sink to 10 Mbit/s in ns fwd, measure
# with iperf3 (TCP, 20 s, receiver side) and check the result is within +-2% of the rate. Shapers count Ethernet
# frames (qdisc_pkt_len: 1514 bytes for a full segment) while iperf3 reports TCP payload (MSS, 1448 bytes with
# timestamps), so the goodput is converted back to frame bytes: rate = goodput * (MSS + 66) / MSS.
#   shapers-wire.sh kernel [tbf|htb|all]     the kernel's own qdiscs: a Linux bridge in ns fwd, qdisc on f1
#   shapers-wire.sh forwarder [tbf|htb|all]  the forwarder bridging f0 <-> f1 with the same tc lines (needs
#                                            `forwarder run --tc FILE`, see FORWARDER_RUN below)
# Namespaces are prefixed qdisc-shapers- (LAB_PREFIX) and removed at the end. Addresses: 198.18.0.0/15.
# Offloads are off on all veths so both sides shape MTU-sized frames.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB=${LAB_SH:-$ROOT/../../shared/bench/lab.sh}
[ -x "$LAB" ] || LAB=/work/shared/bench/lab.sh
export LAB_PREFIX=${LAB_PREFIX:-qdisc-shapers-}
GEN=${LAB_PREFIX}gen FWD=${LAB_PREFIX}fwd SINK=${LAB_PREFIX}sink
MODE=${1:-kernel} WHICH=${2:-all}
SECONDS_RUN=${SECONDS_RUN:-20}
RATE_MBIT=10
# How the forwarder is started once it exists (foundation issue): bridge f0 and f1 with a tc batch applied to f1.
FORWARDER_RUN=${FORWARDER_RUN:-"dotnet $ROOT/src/Forwarder/bin/Release/net10.0/Forwarder.dll run f0 f1 --tc"}

declare -A CONFIG=(
  [tbf]="qdisc add dev f1 root handle 1: tbf rate ${RATE_MBIT}mbit burst 16kb latency 50ms"
  [htb]="qdisc add dev f1 root handle 1: htb default 10
class add dev f1 parent 1: classid 1:10 htb rate ${RATE_MBIT}mbit"
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
    if ! ip netns exec "$FWD" $FORWARDER_RUN "$batch" --help >/dev/null 2>&1; then
      echo "forwarder run --tc is not available yet ($FORWARDER_RUN)" >&2; exit 3
    fi
    ip netns exec "$FWD" $FORWARDER_RUN "$batch" > /tmp/${LAB_PREFIX}forwarder.log 2>&1 &
    FWD_PID=$!; sleep 2
  fi
  ip netns exec "$SINK" iperf3 -s -1 -D -B 198.18.0.2 >/dev/null
  sleep 0.5
  local bps
  bps=$(ip netns exec "$GEN" iperf3 -c 198.18.0.2 -t "$SECONDS_RUN" -O 2 -J | python3 -c \
    'import json,sys; j=json.load(sys.stdin); g=j["end"]["sum_received"]["bits_per_second"]; m=j["start"]["tcp_mss_default"]; print(g, g*(m+66)/m)')
  [ "$MODE" = kernel ] && ip netns exec "$FWD" tc -s qdisc show dev f1 >&2
  [ -n "${FWD_PID:-}" ] && { kill "$FWD_PID"; wait "$FWD_PID" 2>/dev/null || true; FWD_PID=; }
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
