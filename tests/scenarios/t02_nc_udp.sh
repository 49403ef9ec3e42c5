# nc over UDP: a datagram to a listener, a -z probe of an open and of a closed
# port (the closed one answers ICMP port unreachable), as tcpdump sees them.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a link set va address 02:00:00:00:0a:01
ip -n b link set vb address 02:00:00:00:0b:01
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set lo up
ip -n b link set lo up
ip -n a link set va up
ip -n b link set vb up
sleep 3
ip netns exec b tcpdump -i vb -nn -c 6 udp or icmp > cap.txt 2>&1 &
sleep 1
ip netns exec b nc -u -l -n -v -W 1 9000 > u1.txt 2>&1 &
sleep 1
echo hi | ip netns exec a nc -u -w 1 10.0.0.2 9000
echo $?
ip netns exec b nc -u -l -n -W 3 9000 > u2.txt 2>&1 &
sleep 1
ip netns exec a nc -u -z -v -w 1 10.0.0.2 9000
echo $?
ip netns exec a nc -u -z -v -w 1 10.0.0.2 9001
echo $?
wait
cat u1.txt
cat u2.txt
cat cap.txt
