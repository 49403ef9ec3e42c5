# REJECT with each --reject-with, seen by ping, nc and tcpdump; LOG rules,
# their counters and listings. What LOG writes is not read here: recordings
# run in a namespace other than the initial one, where LOG is silent, and
# dmesg there shows the whole machine's ring buffer (vnet's root namespace
# is a host's initial one; crates/vnet-tools/tests/log_target.rs pins the
# lines it writes).
# The pings send no payload and a fixed id (-s 0 -e 77) so that the echo
# quoted in the ICMP errors is the same on every run (tcpdump prints its
# checksum as a "port").
ip netns add c
ip link add eth0 type veth peer name eth0 netns c
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
ip -n c link set lo up
sleep 3
iptables -A INPUT -p icmp -j REJECT
iptables -A INPUT -p tcp --dport 80 -j REJECT --reject-with tcp-reset
iptables -S INPUT
# ICMP errors to one destination are rate limited (icmp_ratelimit ms per
# error, in bursts of 6): 8 quick requests get 6 errors.
sysctl net.ipv4.icmp_ratelimit
ip netns exec c ping -c 8 -i 0.01 10.0.0.2
sysctl -w net.ipv4.icmp_ratelimit=0
tcpdump -nn -v -i eth0 -c 16 icmp >cap.txt 2>&1 &
sleep 1
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2
iptables -R INPUT 1 -p icmp -j REJECT --reject-with icmp-net-unreachable
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2
iptables -R INPUT 1 -p icmp -j REJECT --reject-with icmp-host-unreachable
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2
iptables -R INPUT 1 -p icmp -j REJECT --reject-with icmp-port-unreachable
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2
iptables -R INPUT 1 -p icmp -j REJECT --reject-with icmp-proto-unreachable
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2
iptables -R INPUT 1 -p icmp -j REJECT --reject-with icmp-net-prohibited
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2
iptables -R INPUT 1 -p icmp -j REJECT --reject-with icmp-host-prohibited
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2
iptables -R INPUT 1 -p icmp -j REJECT --reject-with icmp-admin-prohibited
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2
wait
cat cap.txt
iptables -L INPUT -n -v
iptables -S INPUT
ip netns exec c nc -v -w 1 10.0.0.2 80
iptables -R INPUT 2 -p tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
ip netns exec c nc -v -w 1 10.0.0.2 80
iptables -R INPUT 2 -p tcp --dport 80 -j REJECT --reject-with icmp-net-unreachable
ip netns exec c nc -v -w 1 10.0.0.2 80
iptables -R INPUT 2 -p tcp --dport 80 -j REJECT --reject-with icmp-host-unreachable
ip netns exec c nc -v -w 1 10.0.0.2 80
iptables -R INPUT 2 -p tcp --dport 80 -j REJECT --reject-with icmp-proto-unreachable
ip netns exec c nc -v -w 1 10.0.0.2 80
iptables -R INPUT 2 -p tcp --dport 80 -j REJECT --reject-with icmp-admin-prohibited
ip netns exec c nc -v -w 1 10.0.0.2 80
iptables -A INPUT -p udp -j REJECT --reject-with tcp-reset
iptables -A INPUT -p udp -j REJECT --reject-with icmp-bogus
iptables -F INPUT
# LOG: rules and counters.
iptables -A INPUT -p icmp -j LOG --log-prefix "IN-ICMP: " --log-level 4
iptables -A OUTPUT -p icmp -j LOG --log-prefix "OUT-ICMP: " --log-level warning --log-uid
iptables -A INPUT -p icmp -j LOG
ip netns exec c ping -c 1 -s 0 -e 77 10.0.0.2
iptables -L -n -v
iptables -S
iptables -L INPUT
