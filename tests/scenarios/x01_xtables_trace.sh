# area: iptables
# TRACE as iptables-nft has it: -j TRACE sets nftrace, and xtables-monitor
# --trace prints each base chain's packet and every rule and policy it meets.
xtables-monitor
xtables-monitor -V
xtables-monitor --bogus
ip netns add r
ip netns add c
ip link add vc type veth peer name vcr
ip link add vs type veth peer name vsr
ip link set vc netns c
ip link set vcr netns r
ip link set vsr netns r
ip addr add 10.1.0.2/24 dev vs
ip link set vs up
ip netns exec c ip addr add 10.2.0.2/24 dev vc
ip netns exec c ip link set vc up
ip netns exec c ip route add default via 10.2.0.1
ip netns exec r ip addr add 10.2.0.1/24 dev vcr
ip netns exec r ip addr add 10.1.0.1/24 dev vsr
ip netns exec r ip link set vcr up
ip netns exec r ip link set vsr up
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip route add 10.2.0.0/24 via 10.1.0.1
sleep 2
ip netns exec r iptables -t raw -A PREROUTING -p icmp -j TRACE
ip netns exec r iptables -t raw -A PREROUTING -p tcp --dport 81 -j TRACE
ip netns exec r iptables -t raw -A OUTPUT -p icmp -j TRACE
ip netns exec r iptables -t mangle -A FORWARD -p icmp -j MARK --set-mark 0x10
ip netns exec r iptables -N fw
ip netns exec r iptables -N deny
ip netns exec r iptables -A fw -p icmp --icmp-type echo-reply -j RETURN
ip netns exec r iptables -A fw -p icmp -j ACCEPT
ip netns exec r iptables -A deny -j LOG --log-prefix "deny "
ip netns exec r iptables -A deny -j DROP
ip netns exec r iptables -A FORWARD -d 10.1.0.0/24 -j fw
ip netns exec r iptables -A FORWARD -s 10.1.0.0/24 -j fw
ip netns exec r iptables -A FORWARD -p tcp -g deny
ip netns exec r iptables -P FORWARD DROP
ip netns exec r iptables -A INPUT -p icmp -j ACCEPT
ip netns exec r iptables -A OUTPUT -p icmp --icmp-type echo-reply -j REJECT
ip netns exec r iptables -A INPUT -p udp -j TRACE
ip netns exec r iptables -D INPUT -p udp -j TRACE
ip netns exec r iptables -t raw -S
ip netns exec r xtables-monitor --trace > mon.txt 2>&1 &
sleep 1
ip netns exec c ping -c 1 -W 1 10.1.0.2
ip netns exec c ping -c 1 -W 1 10.2.0.1
ip netns exec c nc -z -w 2 10.1.0.2 81
sleep 1
kill %1
wait
cat mon.txt
ip netns exec r iptables -L FORWARD -v -n
