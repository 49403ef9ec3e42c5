# area: realistic
# Examples from the nc(1) and tcpdump(8) man pages, run between two
# namespaces: a one-shot transfer, a port scan, and captures read back
# with shell tools.
ip netns add srv
ip netns add cli
ip link add s0 type veth peer name c0
ip link set s0 netns srv
ip link set c0 netns cli
ip -n srv addr add 10.1.1.1/24 dev s0
ip -n cli addr add 10.1.1.2/24 dev c0
ip -n srv link set s0 up
ip -n cli link set c0 up
ip -n srv link set lo up
sleep 3
ip netns exec srv tcpdump -n -l -i s0 -c 6 'tcp port 1234' > cap.txt 2>/dev/null &
sleep 1
ip netns exec srv nc -l -p 1234 > received.txt &
sleep 1
printf 'line one\nline two\n' | ip netns exec cli nc -N 10.1.1.2 1234 2>&1 || echo "wrong address: exit $?"
printf 'line one\nline two\n' | ip netns exec cli nc -N 10.1.1.1 1234
wait
wc -l < received.txt
awk '{ print $2, $3, $4, $5 }' cap.txt | head -3
grep -c 'Flags \[S' cap.txt
ip netns exec cli nc -zv 10.1.1.1 20-22 2>&1 | sort
ip netns exec srv tcpdump -n -i s0 -c 2 -w trace.pcap icmp 2>/dev/null &
sleep 1
ip netns exec cli ping -c 2 -q 10.1.1.1 | tail -1 | cut -d= -f1
wait
tcpdump -n -r trace.pcap 2>&1 | cut -d' ' -f2- | sed 's/id [0-9]*/id N/'
