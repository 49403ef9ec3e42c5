# area: iptables
# The rule handles TRACE events carry: one counter per table for chains and
# rules, built-in chains created on first write, -R keeping the handle,
# -I and -A after -F taking new ones, iptables-restore starting afresh.
ip netns add a
ip link add va type veth peer name vb
ip link set va netns a
ip addr add 10.9.0.1/24 dev vb
ip link set vb up
ip netns exec a ip addr add 10.9.0.2/24 dev va
ip netns exec a ip link set va up
sleep 2
iptables -t raw -A PREROUTING -p icmp -j TRACE
iptables -P OUTPUT ACCEPT
iptables -N c1
iptables -A INPUT -p tcp -j ACCEPT
iptables -A INPUT -p icmp -j c1
iptables -A c1 -j ACCEPT
iptables -I INPUT -p udp -j ACCEPT
iptables -R INPUT 2 -p tcp --dport 22 -j ACCEPT
xtables-monitor --trace > mon1.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.9.0.1
sleep 1
kill %1
wait
cat mon1.txt
iptables -F INPUT
iptables -A INPUT -s 10.9.0.2 -j ACCEPT
iptables-save > rules.txt
iptables-restore < rules.txt
xtables-monitor --trace > mon2.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 10.9.0.1
sleep 1
kill %1
wait
cat mon2.txt
