echo "## tbf basic"
tc qdisc add dev t0 root handle 1: tbf rate 10mbit burst 10kb latency 50ms 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc -d qdisc show dev t0
tc -s qdisc show dev t0
tc -r qdisc show dev t0
tc -j qdisc show dev t0
tc class show dev t0
tc -d -s class show dev t0
tc qdisc del dev t0 root
echo "## tbf peak"
tc qdisc add dev t0 root handle 1: tbf rate 1mbit burst 20kb limit 30000 peakrate 2mbit mtu 1600 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc -d qdisc show dev t0
tc -r -d qdisc show dev t0
tc -j -d qdisc show dev t0
tc qdisc del dev t0 root
echo "## tbf overhead atm mpu"
tc qdisc add dev t0 root tbf rate 800kbit burst 5000 latency 70ms overhead 10 mpu 64 linklayer atm 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc -d qdisc show dev t0
tc qdisc del dev t0 root
echo "## tbf 10gbit"
tc qdisc add dev t0 root tbf rate 40gbit burst 1mb latency 1ms 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc -d -j qdisc show dev t0
tc qdisc change dev t0 root tbf rate 5gbit burst 100kb limit 100000 peakrate 8gbit mtu 9000 2>&1; echo "rc=$?"
tc -d qdisc show dev t0
tc qdisc del dev t0 root
echo "## tbf errors"
tc qdisc add dev t0 root tbf 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k latency 10ms peakrate 1mbit mtu 1500 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k latency 10ms peakrate 2mbit 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k latency 10ms limit 1000 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k limit 1000 latency 10ms 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k limit 1000 foo 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k limit 1000 rate 2mbit 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k limit 1000 burst 2 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate xyz burst 10k limit 1000 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k/3 limit 1000 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 0 limit 1000 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 1 limit 1000 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc qdisc del dev t0 root
tc qdisc add dev t0 root tbf rate 1mbit burst 100 limit 0 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf rate 1mbit burst 10k limit 1000 linklayer foo 2>&1; echo "rc=$?"
tc qdisc add dev t0 root tbf help 2>&1; echo "rc=$?"
echo "## tbf small burst warning"
tc qdisc add dev t0 root handle 2: tbf rate 1mbit burst 1000 limit 1000 2>&1; echo "rc=$?"
tc -s -d qdisc show dev t0
tc -s class show dev t0
tc qdisc add dev t0 parent 2:1 handle 20: pfifo limit 10 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc class show dev t0
tc qdisc change dev t0 root handle 2: tbf rate 2mbit burst 3000 limit 5000 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc qdisc del dev t0 root
echo "## tbf latency variants"
tc qdisc add dev t0 root tbf rate 256kbit burst 1600 latency 400ms 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc qdisc replace dev t0 root tbf rate 100mbit burst 64kb latency 1s 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc qdisc replace dev t0 root tbf rate 64kbit burst 3kb latency 2s peakrate 100kbit minburst 1540 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc -d qdisc show dev t0
tc qdisc replace dev t0 root tbf rate 1mbit buffer 5kb/8 limit 3k 2>&1; echo "rc=$?"
tc -d qdisc show dev t0
tc qdisc replace dev t0 root tbf rate 1mbit maxburst 5kb limit 3k 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc qdisc replace dev t0 root tbf rate 10Mbit burst 20000 latency 0 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc qdisc del dev t0 root
