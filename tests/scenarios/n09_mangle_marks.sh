# mangle on a router: TTL, TOS and DSCP rewrite forwarded packets (tcpdump -v
# on the far side shows them); MARK marks packets, CONNMARK saves the mark
# in the connection and restores it on the replies; conntrack shows mark=.
ip netns add a
ip netns add b
ip link add va type veth peer name eth0 netns a
ip link add vb type veth peer name eth0 netns b
ip addr add 10.0.1.1/24 dev va
ip addr add 10.0.2.1/24 dev vb
ip link set va up
ip link set vb up
ip -n a addr add 10.0.1.2/24 dev eth0
ip -n b addr add 10.0.2.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
sysctl -w net.ipv4.ip_forward=1
sleep 3
ip netns exec b tcpdump -nn -v -i eth0 -c 7 icmp and src 10.0.1.2 >cap.txt 2>&1 &
sleep 1
iptables -t mangle -A FORWARD -i va -j TTL --ttl-set 5
ip netns exec a ping -c 1 -e 201 10.0.2.2
iptables -t mangle -R FORWARD 1 -i va -j TTL --ttl-dec 2
ip netns exec a ping -c 1 -e 202 10.0.2.2
iptables -t mangle -R FORWARD 1 -i va -j TTL --ttl-inc 1
ip netns exec a ping -c 1 -e 203 10.0.2.2
iptables -t mangle -R FORWARD 1 -i va -j TOS --set-tos 0x10
ip netns exec a ping -c 1 -e 204 10.0.2.2
iptables -t mangle -R FORWARD 1 -i va -j DSCP --set-dscp 10
ip netns exec a ping -c 1 -e 205 10.0.2.2
iptables -t mangle -R FORWARD 1 -i va -j DSCP --set-dscp-class EF
ip netns exec a ping -c 1 -e 206 10.0.2.2
iptables -t mangle -R FORWARD 1 -i va -j TOS --and-tos 0x0
ip netns exec a ping -c 1 -Q 0x04 -e 207 10.0.2.2
wait
cat cap.txt
iptables -t mangle -L FORWARD -n -v
iptables -t mangle -F
iptables -t mangle -A PREROUTING -i va -j MARK --set-mark 0x5
iptables -t mangle -A PREROUTING -i vb -j CONNMARK --restore-mark
iptables -t mangle -A POSTROUTING -o vb -j CONNMARK --save-mark
iptables -A FORWARD -m mark --mark 0x5 -i va
iptables -A FORWARD -m mark --mark 0x5 -i vb
iptables -A FORWARD -m connmark --mark 0x5 -i vb
iptables -A FORWARD -m mark ! --mark 0x5
ip netns exec a ping -c 2 -i 0.2 -e 210 10.0.2.2
ip netns exec b ping -c 1 -e 211 10.0.1.2
conntrack -L
conntrack -L -m 5
iptables -L FORWARD -n -v
iptables -t mangle -L -n -v
iptables -t mangle -S
