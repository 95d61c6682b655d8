echo "## htb basic"
tc qdisc add dev t0 root handle 1: htb default 20 2>&1; echo "rc=$?"
tc class add dev t0 parent 1: classid 1:1 htb rate 100mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:1 classid 1:10 htb rate 30mbit ceil 100mbit prio 1 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:1 classid 1:20 htb rate 10mbit ceil 50mbit burst 15k cburst 3000 quantum 1500 prio 7 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:1 classid 1:30 htb rate 1kbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:1 classid 1:40 htb rate 10gbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:1 classid 1:50 htb rate 1mbit overhead 20 mpu 64 linklayer atm prio 9 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc -d qdisc show dev t0
tc -s -d qdisc show dev t0
tc -j qdisc show dev t0
tc class show dev t0
tc -d class show dev t0
tc -s class show dev t0
tc -r class show dev t0
tc -j -s class show dev t0
tc -s -d -j class show dev t0 classid 1:10
echo "## htb qdisc variants"
tc qdisc replace dev t0 root handle 1: htb r2q 5 direct_qlen 77 2>&1; echo "rc=$?"
tc -d qdisc show dev t0
tc qdisc del dev t0 root
tc qdisc add dev t0 root handle 2: htb 2>&1; echo "rc=$?"
tc -d qdisc show dev t0
tc qdisc change dev t0 root handle 2: htb default 5 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc qdisc del dev t0 root
tc qdisc add dev t0 root handle 3: htb default 0x10 r2q 0 debug 123 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc qdisc add dev t0 root handle 4: htb foo 2>&1; echo "rc=$?"
tc qdisc add dev t0 root handle 4: htb r2q x 2>&1; echo "rc=$?"
tc qdisc add dev t0 root handle 4: htb offload 2>&1; echo "rc=$?"
echo "## class errors"
tc class add dev t0 parent 3: classid 3:1 htb 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:1 htb rate 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:1 htb rate 1mbit rate 2mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:1 htb rate 1mbit foo 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:1 htb rate 1mbit prio x 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:1 htb rate 1mbit burst 1k/3 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:1 htb rate 1mbit ceil 512kbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 4:1 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:99 classid 3:2 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:0 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:1 classid 3:2 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:2 classid 3:3 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:3 classid 3:4 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:4 classid 3:5 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:5 classid 3:6 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:6 classid 3:7 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:7 classid 3:8 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:8 classid 3:9 htb rate 1mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 3:9 classid 3:a htb rate 1mbit 2>&1; echo "rc=$?"
tc -d class show dev t0
tc class add dev t0 parent 3: classid 3:1 htb rate 1mbit 2>&1; echo "rc=$?"
tc class del dev t0 classid 3:8 2>&1; echo "rc=$?"
tc class del dev t0 classid 3:9 2>&1; echo "rc=$?"
tc -d class show dev t0 classid 3:8
tc class change dev t0 classid 3:8 htb rate 3mbit ceil 4mbit prio 2 2>&1; echo "rc=$?"
tc -d class show dev t0 classid 3:8
tc class change dev t0 classid 3:7 htb rate 3mbit ceil 4mbit prio 2 quantum 5000 2>&1; echo "rc=$?"
tc -d class show dev t0 classid 3:7
tc class add dev t0 parent 3:8 classid 3:20 htb rate 1mbit 2>&1; echo "rc=$?"
tc qdisc add dev t0 parent 3:20 handle 30: pfifo limit 5 2>&1; echo "rc=$?"
tc qdisc add dev t0 parent 3:7 handle 31: pfifo limit 5 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc class show dev t0
tc class add dev t0 parent 3: classid 3:100 htb rate 5000000000000 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:101 htb rate 100mbit quantum 0 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:102 htb help 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:103 htb rate 1mbit mtu 9000 2>&1; echo "rc=$?"
tc class add dev t0 parent 3: classid 3:104 htb rate 1mbit burst 1 cburst 0 2>&1; echo "rc=$?"
tc -d class show dev t0
tc class del dev t0 classid 3:1 2>&1; echo "rc=$?"
