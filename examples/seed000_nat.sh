# Seed 000: a namespace reaches the outside world through NAT.
# The seed's host has eth0 192.168.1.32/24 (default gateway 192.168.1.1)
# and talks to host2 192.168.1.15; here host2 is a namespace behind eth0.
ip netns add host2
ip link add eth0 type veth peer name eth0 netns host2
ip addr add 192.168.1.32/24 dev eth0
ip link set eth0 up
ip -n host2 addr add 192.168.1.15/24 dev eth0
ip -n host2 addr add 192.168.1.1/24 dev eth0
ip -n host2 link set eth0 up
ip route add default via 192.168.1.1
# The seed's nine steps.
ip netns add myspace
ip link add veth1 type veth peer name veth2
ip link set veth2 netns myspace
ifconfig veth1 192.168.45.2 netmask 255.255.255.0 up
ip netns exec myspace ifconfig veth2 192.168.45.3 netmask 255.255.255.0 up
ip netns exec myspace route add default gw 192.168.45.2
echo 1 > /proc/sys/net/ipv4/ip_forward
iptables -t nat -A POSTROUTING -s 192.168.45.0/24 -o eth0 -j MASQUERADE
iptables -P FORWARD DROP
iptables -t filter -A FORWARD -i eth0 -o veth1 -j ACCEPT
iptables -t filter -A FORWARD -o eth0 -i veth1 -j ACCEPT
route -n
ip netns exec myspace route -n
# Now myspace reaches host2; eth0 shows the host's address, veth1 the namespace's.
tcpdump -envi eth0 -p icmp -v -c 2 >eth0.txt 2>&1 &
tcpdump -envi veth1 -p icmp -v -c 2 >veth1.txt 2>&1 &
sleep 1
ip netns exec myspace ping -c 1 192.168.1.15
wait
cat eth0.txt veth1.txt
conntrack -L
iptables -t nat -L -n -v
