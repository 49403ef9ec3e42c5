# tcpdump in the background on a veth end while pinging across it; the
# capture is written to a file, which is printed after `wait`.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a link set va address 02:00:00:00:0a:01
ip -n b link set vb address 02:00:00:00:0b:01
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
sleep 3
ip netns exec a tcpdump -i va -n -e -c 4 > cap.txt 2>&1 &
sleep 1
ip netns exec a ping -c 2 10.0.0.2
wait
cat cap.txt
ip netns exec b tcpdump -i vb -n -c 2 icmp > cap2.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.0.0.2
wait
cat cap2.txt
ip netns exec b tcpdump -i vb -n -l -c 2 -v icmp > cap3.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 -s 100 10.0.0.2
wait
cat cap3.txt
ip -n a neigh flush all
ip -n b neigh flush all
ip netns exec a tcpdump -i va -nn -e -c 2 arp > cap4.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.0.0.2
wait
cat cap4.txt
ip netns exec a tcpdump -i va -n -q -c 2 icmp > cap5.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.0.0.2
wait
cat cap5.txt
ip netns exec a tcpdump -i va -n -t -c 2 icmp > cap6.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.0.0.2
wait
cat cap6.txt
ip netns exec a tcpdump -D
tcpdump -i nosuch -c 1
tcpdump -i lo -c 1 -n bogusfilter
