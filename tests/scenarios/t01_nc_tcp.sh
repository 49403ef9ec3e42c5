# nc over TCP between two namespaces: a listener in the background, a client
# sending through a pipe, and tcpdump's view of the handshake, data and FIN.
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
ip netns exec b tcpdump -i vb -nn -c 8 tcp > cap.txt 2>&1 &
sleep 1
ip netns exec b nc -l -n -v 5000 > got.txt 2> err.txt &
sleep 1
echo hello | ip netns exec a nc -N 10.0.0.2 5000
echo $?
wait
cat got.txt
cat err.txt
cat cap.txt
ip netns exec b nc -l -n -v -p 6000 > got2.txt 2>&1 &
sleep 1
echo one two three | ip netns exec a nc -v -q 0 -p 31000 10.0.0.2 6000
echo $?
wait
cat got2.txt
ip netns exec b nc -l -n -v -s 10.0.0.2 -p 6001 > got3.txt 2>&1 &
sleep 1
echo again | ip netns exec a nc -v -n -N -s 10.0.0.1 10.0.0.2 6001
wait
cat got3.txt
