# area: iptables
# MSS clamping as PPPoE and VPN guides set it up: a router whose uplink has
# a smaller MTU lowers the MSS of the SYNs it forwards
# (`-j TCPMSS --clamp-mss-to-pmtu`, or `--set-mss`, never raising it), seen
# by tcpdump at the server; the rules as -L, -S and iptables-save print
# them, and what the kernel and iptables refuse.
ip netns add c
ip netns add r
ip netns add s
ip link add eth0 netns c address 02:00:00:00:0c:01 type veth peer name lan netns r address 02:00:00:00:0c:02
ip link add eth0 netns s address 02:00:00:00:0d:01 type veth peer name wan netns r address 02:00:00:00:0d:02
for n in c r s; do ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $n link set lo up; done
ip -n c addr add 10.0.1.2/24 dev eth0
ip -n r addr add 10.0.1.1/24 dev lan
ip -n r addr add 10.0.2.1/24 dev wan
ip -n s addr add 10.0.2.2/24 dev eth0
ip -n r link set wan mtu 1400
ip -n s link set eth0 mtu 1400
for n in c s; do ip -n $n link set eth0 up; done
ip -n r link set lan up
ip -n r link set wan up
ip -n c route add default via 10.0.1.1
ip -n s route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
ip netns exec r iptables -t mangle -A POSTROUTING -o wan -p tcp --syn -j TCPMSS --set-mss 1452
ip netns exec r iptables -t mangle -A PREROUTING -p tcp --syn -j TCPMSS --clamp-mss-to-pmtu
echo "rc=$?"
ip netns exec r iptables -t mangle -A FORWARD -j TCPMSS --set-mss 1400
echo "rc=$?"
ip netns exec r iptables -t mangle -A FORWARD -p tcp --syn -j TCPMSS
echo "rc=$?"
ip netns exec r iptables -t mangle -A FORWARD -p tcp --syn -j TCPMSS --set-mss 70000
echo "rc=$?"
ip netns exec r ip6tables -t mangle -A FORWARD -p tcp --syn -j TCPMSS --set-mss 65500
echo "rc=$?"
ip netns exec r ip6tables -t mangle -A FORWARD -p tcp --syn -j TCPMSS --set-mss 1220
ip netns exec r ip6tables -t mangle -S FORWARD
sleep 2
ip netns exec s tcpdump -i eth0 -nn -c 2 'tcp[tcpflags] & tcp-syn != 0' >cap.txt 2>&1 &
sleep 0.5
ip netns exec s nc -l -n 5000 >got.txt 2>&1 &
sleep 0.5
echo hello | ip netns exec c nc -N 10.0.2.2 5000
wait
cat got.txt
sed 's/^[0-9:.]* //' cap.txt
ip netns exec r iptables -t mangle -L -n -v
ip netns exec r iptables -t mangle -S
ip netns exec r iptables-save -t mangle | grep -v '^#'
ip netns exec r iptables -t mangle -D FORWARD 1
ip netns exec r iptables -t mangle -I POSTROUTING -o wan -p tcp --syn -j TCPMSS --set-mss 1000
ip netns exec s tcpdump -i eth0 -nn -c 1 'tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack = 0' >cap2.txt 2>&1 &
sleep 0.5
ip netns exec s nc -l -n 5001 >/dev/null 2>&1 &
sleep 0.5
echo again | ip netns exec c nc -N 10.0.2.2 5001
wait
sed 's/^[0-9:.]* //' cap2.txt
ip netns exec r iptables -t mangle -L POSTROUTING -n -v
