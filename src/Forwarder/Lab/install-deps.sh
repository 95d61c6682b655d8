#!/usr/bin/env bash
# Installs the Debian packages the forwarder and its tests need, only when something is missing.
#   install-deps.sh runtime   what `forwarder run|bridge|lab` needs
#   install-deps.sh test      that plus what the test suite uses (tcpdump, trafgen, clang/llvm, bpftool)
#   install-deps.sh bench     that plus what perf/bench and perf/wire use (python3, libpcap headers for ref-pcapfwd)
set -euo pipefail
want=()
need() { # need COMMAND-OR-FILE PACKAGE
  if [[ "$1" == /* ]]; then ls $1 >/dev/null 2>&1 || want+=("$2"); else command -v "$1" >/dev/null 2>&1 || want+=("$2"); fi
}
need ip iproute2
need ethtool ethtool
need ping iputils-ping
need iperf3 iperf3
need '/usr/lib/*-linux-gnu/libpcap.so.0.8' libpcap0.8
if [ "${1:-runtime}" = test ] || [ "${1:-runtime}" = bench ]; then
  need tcpdump tcpdump
  need trafgen netsniff-ng
  need clang clang
  need llc llvm
  need bpftool bpftool
  need gcc gcc
  need setpriv util-linux
fi
if [ "${1:-runtime}" = bench ]; then
  need python3 python3
  need /usr/include/pcap/pcap.h libpcap-dev
fi
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing packages: ${want[*]}; install them with: sudo apt-get update && sudo apt-get install -y ${want[*]}" >&2
  exit 1
fi
echo "installing: ${want[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${want[@]}" >&2
