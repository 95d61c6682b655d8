tc qdisc add dev t0 root handle 1: htb default 20 direct_qlen 10
tc class add dev t0 parent 1: classid 1:1 htb rate 100mbit overhead 4
tc class add dev t0 parent 1:1 classid 1:10 htb rate 30mbit ceil 100mbit prio 1 linklayer atm
echo "### -j class"
tc -j class show dev t0
echo "### -j -s class"
tc -j -s class show dev t0
echo "### -j -d class"
tc -j -d class show dev t0
echo "### -p -j -d qdisc"
tc -p -j -d qdisc show dev t0
echo "### -iec"
tc -iec class show dev t0
tc qdisc del dev t0 root
echo "### offload"
tc qdisc add dev t1 root handle 1: htb offload 2>&1; echo "rc=$?"
tc qdisc add dev t1 parent 1:1 handle 2: htb 2>&1; echo "rc=$?"
echo "### tbf json"
tc qdisc add dev t0 root handle 1: tbf rate 1mbit burst 20kb limit 30000 peakrate 2mbit mtu 1600
tc -j class show dev t0
tc -j -s qdisc show dev t0
tc -j -r qdisc show dev t0
tc -iec qdisc show dev t0
tc qdisc del dev t0 parent 1:1 2>&1; echo "rc=$?"
tc qdisc show dev t0
tc qdisc show dev t0 invisible
tc class show dev t0
tc qdisc add dev t0 parent 1:1 handle 10: bfifo limit 3000 2>&1; echo "rc=$?"
tc qdisc add dev t0 parent 1:1 handle 11: bfifo limit 3000 2>&1; echo "rc=$?"
tc qdisc replace dev t0 parent 1:1 handle 11: bfifo limit 3000 2>&1; echo "rc=$?"
tc qdisc show dev t0 invisible
tc class show dev t0
tc qdisc del dev t0 root
echo "### htb invisible"
tc qdisc add dev t0 root handle 1: htb
tc class add dev t0 parent 1: classid 1:1 htb rate 1mbit
tc qdisc show dev t0 invisible
tc class show dev t0
tc qdisc del dev t0 parent 1:1 2>&1; echo "rc=$?"
tc qdisc add dev t0 parent 1:1 handle 5: pfifo 2>&1; echo "rc=$?"
tc qdisc del dev t0 parent 1:1 2>&1; echo "rc=$?"
tc qdisc show dev t0 invisible
tc class show dev t0
tc filter add dev t0 parent 1: protocol ip prio 1 u32 match ip dst 198.18.0.2 flowid 1:1
tc class del dev t0 classid 1:1 2>&1; echo "rc=$?"
tc qdisc del dev t0 root
echo "### htb class change errors"
tc qdisc add dev t0 root handle 1: htb
tc class add dev t0 parent 1: classid 1:1 htb rate 1mbit
tc class change dev t0 classid 1:1 htb ceil 2mbit 2>&1; echo "rc=$?"
tc class change dev t0 parent 1:5 classid 1:1 htb rate 2mbit 2>&1; echo "rc=$?"
tc class show dev t0
tc class replace dev t0 parent 1: classid 1:2 htb rate 2mbit 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:3 htb rate 1mbit rate 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:3 htb rate 1mbit burst 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:3 htb rate 1mbit quantum -1 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:3 htb rate 1mbit mpu 70000 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:3 htb rate 1mbit linklayer adsl overhead 8 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:4 htb rate 150% 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:4 htb rate 10% 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:5 htb rate 1mbit ceil 0 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:5 htb rate 0 2>&1; echo "rc=$?"
tc class add dev t0 parent 1:2 classid 1:6 htb rate 1mbit ceil 3mbit ceil 4mbit 2>&1; echo "rc=$?"
tc -d class show dev t0
cat /sys/class/net/t0/speed
