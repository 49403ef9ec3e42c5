# area: realistic
# A NAT gateway's connection report, the way ops one-liners build it:
# conntrack output through grep, awk, sort and uniq -c; and a packet
# count per protocol from a capture.
ip netns add inside
ip netns add outside
ip link add in0 type veth peer name gw-in
ip link add out0 type veth peer name gw-out
ip link set in0 netns inside
ip link set out0 netns outside
ip addr add 10.10.0.1/24 dev gw-in
ip addr add 203.0.113.1/24 dev gw-out
ip link set gw-in up
ip link set gw-out up
ip -n inside addr add 10.10.0.2/24 dev in0
ip -n inside link set in0 up
ip -n inside route add default via 10.10.0.1
ip -n outside addr add 203.0.113.2/24 dev out0
ip -n outside link set out0 up
ip -n outside link set lo up
echo 1 > /proc/sys/net/ipv4/ip_forward
iptables -t nat -A POSTROUTING -o gw-out -j MASQUERADE
sleep 3
tcpdump -n -i gw-out -c 8 > cap.txt 2>/dev/null &
sleep 1
for port in 7001 7002 7003; do
    echo probe | ip netns exec inside nc -u -w 1 -q 1 203.0.113.2 $port
done
ip netns exec inside ping -c 2 -e 3001 203.0.113.2 > /dev/null
wait
conntrack -L 2>/dev/null | awk '{print $1}' | sort | uniq -c
conntrack -L -p udp 2>/dev/null | grep -o 'dport=[0-9]*' | sort -u
conntrack -L 2>&1 >/dev/null
awk '{print $2, $NF}' cap.txt | head -4
grep -c ICMP cap.txt
cut -d' ' -f3 cap.txt | cut -d. -f1-4 | sort | uniq -c
