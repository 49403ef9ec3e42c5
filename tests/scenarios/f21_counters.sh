# Packet and byte counters (ip -s, ifconfig) after known traffic. IPv6 is
# disabled on the veth ends before they come up, so the only packets are the
# ARP exchange and the pings.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a sysctl -qw net.ipv6.conf.va.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.vb.disable_ipv6=1
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
sleep 1
ip -n a -s link show va
ip netns exec a ping -c 3 -i 0.2 10.0.0.2
ip -n a -s link show va
ip -n b -s link show vb
ip -n a -s -s link show va
ip -n a -s addr show va
ip -n a -j -s link show va
ip netns exec a ifconfig va
ip netns exec b ifconfig -s
ip netns exec a ping -c 2 -i 0.2 -s 1000 10.0.0.2
ip -n a -s link show va
ip netns exec a ifconfig va
ip netns exec a ping -c 1 -W 1 10.0.0.9
sleep 3
ip -n a -s link show va
ip -n a link set lo up
ip netns exec a ping -c 2 -i 0.2 127.0.0.1
ip -n a -s link show lo
ip netns exec a ifconfig lo
