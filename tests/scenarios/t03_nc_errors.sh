# nc's usage errors, refused and unreachable connects, and -z scans with the
# RSTs a closed port sends.
nc
nc -h
nc -l
nc -z -l 80
nc -k 10.0.0.2 80
nc -w abc 10.0.0.2 80
nc -W 0 10.0.0.2 80
nc -q x 10.0.0.2 80
nc 10.0.0.2 99999
nc 10.0.0.2 nosuchservice
nc -x
nc -Y 10.0.0.2 80
nc -l 80 10.0.0.2 80
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
ip netns exec b tcpdump -i vb -nn -c 6 tcp > cap.txt 2>&1 &
sleep 1
ip netns exec a nc -z -v 10.0.0.2 79-81
echo $?
wait
cat cap.txt
ip netns exec a nc -v -n 10.0.0.2 81
ip netns exec a nc 10.0.0.2 81
ip netns exec b nc -l 80 > l.txt 2>&1 &
sleep 1
ip netns exec a nc -z -v 10.0.0.2 80
echo $?
wait
cat l.txt
ip netns exec a nc -z -v -n 10.0.0.2 22 25 53
ip netns exec a nc -v -w 1 10.0.0.3 80
ip netns exec a nc -v -w 6 10.0.0.3 80
ip netns exec a nc -v 192.168.9.9 80
ip netns exec a nc -u -v 192.168.9.9 53
