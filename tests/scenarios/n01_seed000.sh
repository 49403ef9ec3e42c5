# Seed 000 (NAT for a namespace), its 9 steps in order. Prelude: the seed's
# host1 has eth0 192.168.1.32/24, default gw 192.168.1.1, and another machine
# host2 192.168.1.15; here host2 is a namespace on the other end of eth0 (it
# also holds the gateway address 192.168.1.1, and has no route back to
# 192.168.45.0/24). Pings use fixed ICMP ids (-e) so conntrack's id= fields
# are the same on every run.
ip netns add host2
ip link add eth0 type veth peer name eth0 netns host2
ip addr add 192.168.1.32/24 dev eth0
ip link set eth0 up
ip -n host2 addr add 192.168.1.15/24 dev eth0
ip -n host2 addr add 192.168.1.1/24 dev eth0
ip -n host2 link set eth0 up
ip -n host2 link set lo up
ip route add default via 192.168.1.1
# The seed's steps 1-6.
ip netns add myspace
ip link add veth1 type veth peer name veth2
ip link set veth2 netns myspace
ifconfig veth1 192.168.45.2 netmask 255.255.255.0 up
ip netns exec myspace ifconfig veth2 192.168.45.3 netmask 255.255.255.0 up
ip netns exec myspace route add default gw 192.168.45.2
sleep 3
route -n
ip netns exec myspace route -n
ip netns exec myspace ping -c 1 192.168.45.2
# ip_forward is off: the host drops what it would have to forward.
cat /proc/sys/net/ipv4/ip_forward
ip netns exec myspace ping -c 2 -W 1 -e 1001 192.168.1.15
# Step 7: forwarding on; the request reaches host2 with the namespace's
# source address, and host2 has no route back to it.
echo 1 > /proc/sys/net/ipv4/ip_forward
tcpdump -eni eth0 -p icmp -v -c 2 >cap1.txt 2>&1 &
sleep 1
ip netns exec myspace ping -c 2 -W 1 -e 1002 192.168.1.15
wait
cat cap1.txt
# Step 8: MASQUERADE; replies come back.
iptables -t nat -A POSTROUTING -s 192.168.45.0/24 -o eth0 -j MASQUERADE
tcpdump -eni eth0 -p icmp -v -c 4 >cap2.txt 2>&1 &
tcpdump -eni veth1 -p icmp -v -c 4 >cap3.txt 2>&1 &
sleep 1
ip netns exec myspace ping -c 2 -e 1003 192.168.1.15
wait
cat cap2.txt
cat cap3.txt
conntrack -L
# The seed's step 9 assumes a FORWARD policy of DROP.
iptables -P FORWARD DROP
ip netns exec myspace ping -c 2 -W 1 -e 1004 192.168.1.15
# Step 9.
iptables -t filter -A FORWARD -i eth0 -o veth1 -j ACCEPT
iptables -t filter -A FORWARD -o eth0 -i veth1 -j ACCEPT
ip netns exec myspace ping -c 2 -e 1005 192.168.1.15
route -n
ip netns exec myspace route -n
iptables -t nat -L -n -v
iptables -L FORWARD -n -v
iptables-save
conntrack -L
cat /proc/net/nf_conntrack
