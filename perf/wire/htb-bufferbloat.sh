#!/bin/bash
# The bufferbloat check (issue 6, item 8): a UDP load at twice "htb rate 20mbit" from gen to sink, and a
# concurrent ping gen -> sink. Through an fq_codel leaf the ping should stay under 15 ms; through "pfifo limit
# 1000" it rises past 300 ms.
#   htb-bufferbloat.sh kernel|forwarder fq_codel|pfifo
# kernel: a Linux bridge in ns fwd with the qdiscs on f1 (this machine's kernel has no fq_codel module: pfifo only);
# forwarder: perf/wire/ShaperWire bridging f0 <-> f1 with the same tc batch. Prints ping's rtt summary.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB=${LAB_SH:-/work/shared/bench/lab.sh}
export LAB_PREFIX=${LAB_PREFIX:-qdisc-shapers-}
GEN=${LAB_PREFIX}gen FWD=${LAB_PREFIX}fwd SINK=${LAB_PREFIX}sink
MODE=${1:-forwarder} LEAF=${2:-fq_codel}
SECONDS_RUN=${SECONDS_RUN:-20}
case "$LEAF" in
  fq_codel) LEAF_TC="fq_codel" ;;
  pfifo) LEAF_TC="pfifo limit 1000" ;;
  *) echo "leaf must be fq_codel or pfifo" >&2; exit 2 ;;
esac
FWD_PID=
cleanup() { [ -n "$FWD_PID" ] && kill "$FWD_PID" 2>/dev/null; "$LAB" down; }
trap cleanup EXIT

batch=$(mktemp)
cat > "$batch" <<TC
qdisc add dev f1 root handle 1: htb default 10
class add dev f1 parent 1: classid 1:10 htb rate 20mbit
qdisc add dev f1 parent 1:10 handle 10: $LEAF_TC
TC
"$LAB" up offloads-off
if [ "$MODE" = kernel ]; then
  ip -n "$FWD" link add br0 type bridge
  ip -n "$FWD" link set f0 master br0; ip -n "$FWD" link set f1 master br0; ip -n "$FWD" link set br0 up
  ip netns exec "$FWD" tc -b "$batch"
else
  dotnet build -c Release "$ROOT/perf/wire/ShaperWire" --nologo -v quiet >/dev/null
  ip netns exec "$FWD" dotnet "$ROOT/perf/wire/ShaperWire/bin/Release/net10.0/ShaperWire.dll" f0 f1 "$batch" \
    > /tmp/${LAB_PREFIX}bloat.log 2>&1 &
  FWD_PID=$!
  for _ in $(seq 50); do grep -q bridging /tmp/${LAB_PREFIX}bloat.log 2>/dev/null && break; sleep 0.2; done
fi
ip netns exec "$SINK" iperf3 -s -1 -D -B 198.18.0.2 >/dev/null
sleep 0.5
ip netns exec "$GEN" iperf3 -u -b 40M -l 1400 -c 198.18.0.2 -t "$SECONDS_RUN" >/dev/null &
LOAD=$!
sleep 3
ip netns exec "$GEN" ping -q -i 0.2 -c $(( (SECONDS_RUN - 5) * 5 )) 198.18.0.2 | tail -2
wait "$LOAD" || true
if [ -n "$FWD_PID" ]; then kill -TERM "$FWD_PID"; wait "$FWD_PID" 2>/dev/null || true; FWD_PID=; tail -4 /tmp/${LAB_PREFIX}bloat.log; fi
[ "$MODE" = kernel ] && ip netns exec "$FWD" tc -s qdisc show dev f1 | head -6
rm -f "$batch"
