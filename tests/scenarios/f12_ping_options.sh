# ping options: -c -i -W -w -t -s -q -I -n, IPv4 literal forms.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
sleep 3
ip netns exec a ping -c 1 10.0.0.2
ip netns exec a ping -c 3 -i 0.2 10.0.0.2
ip netns exec a ping -c 2 -i 0.2 -q 10.0.0.2
ip netns exec a ping -c 2 -i 0.2 -s 1000 10.0.0.2
ip netns exec a ping -c 2 -i 0.2 -s 0 10.0.0.2
ip netns exec a ping -c 2 -i 0.2 -s 8 10.0.0.2
ip netns exec a ping -c 1 -s 1472 10.0.0.2
ip netns exec a ping -c 1 -s 1473 10.0.0.2
ip netns exec a ping -c 2 -i 0.2 -t 5 10.0.0.2
ip netns exec a ping -c 2 -i 0.2 -I va 10.0.0.2
ip netns exec a ping -c 2 -i 0.2 -I 10.0.0.1 10.0.0.2
ip netns exec a ping -c 2 -i 0.2 -n 10.0.0.2
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec a ping -w 1 -i 0.3 10.0.0.2
ip netns exec a ping -c 2 -w 5 -i 0.2 10.0.0.2
ip netns exec a ping -c 1 10.0.0.1
ip netns exec a ping -c 1 127.0.0.1
ip netns exec a ping -c 1 localhost
ip netns exec a ping -c 1 10.2
ip netns exec a ping -c 1 0x0a000002
ip netns exec a ping -c 1 -q 10.0.0.2
ip netns exec a ping -4 -c 1 10.0.0.2
ip netns exec a ping -c 1 -p ff 10.0.0.2
ip netns exec a ping -V
