# More of nc: data both ways (the listener's stdin from a file), the -w idle
# timeout of a client that keeps reading, a source port still held by
# TIME_WAIT, options after the operands, and a connection over lo.
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
echo world > reply.txt
ip netns exec b nc -l -N 5000 < reply.txt > got.txt 2>&1 &
sleep 1
echo hello | ip netns exec a nc -N 10.0.0.2 5000
echo $?
wait
cat got.txt
ip netns exec b tcpdump -i vb -nn -c 8 tcp > cap.txt 2>&1 &
sleep 1
ip netns exec b nc -l 5002 > got2.txt 2>&1 &
sleep 1
echo idle | ip netns exec a nc -w 1 10.0.0.2 5002
echo $?
wait
cat got2.txt
cat cap.txt
ip netns exec b nc -l 6000 > got3.txt 2>&1 &
sleep 1
echo first | ip netns exec a nc -N -p 31000 10.0.0.2 6000
wait
echo second | ip netns exec a nc -N -p 31000 10.0.0.2 6000
cat got3.txt
ip netns exec b nc -l 6001 > got4.txt 2>&1 &
sleep 1
echo late options | ip netns exec a nc 10.0.0.2 6001 -N -v -n
wait
cat got4.txt
ip netns exec b tcpdump -i lo -nn -c 8 tcp > cap2.txt 2>&1 &
sleep 1
ip netns exec b nc -l -p 7000 -s 127.0.0.1 > got5.txt 2>&1 &
sleep 1
echo local | ip netns exec b nc -N 127.0.0.1 7000
wait
cat got5.txt
cat cap2.txt
