# tcpdump -w to a pcap file during pings (ARP and ICMP), then -r with filters.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a link set va address 02:00:00:00:0a:01
ip -n b link set vb address 02:00:00:00:0b:01
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a addr add 10.0.0.3/24 dev va
ip -n a link set va up
ip -n b link set vb up
sleep 3
ip netns exec a tcpdump -i va -n -c 14 -w f.pcap 'icmp or arp' > w.txt 2>&1 &
sleep 1
ip netns exec a ping -c 2 -i 0.2 10.0.0.2
ip netns exec a ping -c 1 -I 10.0.0.3 10.0.0.2
ip netns exec b ping -c 2 -i 0.2 10.0.0.1
wait
cat w.txt
tcpdump -r f.pcap -n
tcpdump -r f.pcap -n -e
tcpdump -r f.pcap -n icmp
tcpdump -r f.pcap -n arp
tcpdump -r f.pcap -n host 10.0.0.3
tcpdump -r f.pcap -n src 10.0.0.2
tcpdump -r f.pcap -n dst 10.0.0.2
tcpdump -r f.pcap -n 'icmp[icmptype] == icmp-echo'
tcpdump -r f.pcap -n -c 3
tcpdump -r f.pcap -nn -q
tcpdump -r f.pcap -n -t icmp and src 10.0.0.1
tcpdump -r f.pcap -n ether host 02:00:00:00:0b:01 and arp
tcpdump -r f.pcap -n udp
tcpdump -r nosuch.pcap
