# fwmark rules fed by `ping -m`, by iptables MARK in mangle OUTPUT (the
# reroute of ip_route_me_harder) and PREROUTING (forwarded traffic), and
# CONNMARK saving and restoring a connection's mark; how iptables prints them.
ip netns add r
ip netns add isp1
ip netns add isp2
ip netns add lan
ip link add up1 netns r type veth peer name wan netns isp1
ip link add up2 netns r type veth peer name wan netns isp2
ip link add lan0 netns r type veth peer name eth0 netns lan
for n in r isp1 isp2 lan; do ip -n $n link set lo up; done
ip -n r addr add 10.1.0.2/24 dev up1
ip -n r addr add 10.2.0.2/24 dev up2
ip -n r addr add 192.168.1.1/24 dev lan0
ip -n isp1 addr add 10.1.0.1/24 dev wan
ip -n isp2 addr add 10.2.0.1/24 dev wan
ip -n lan addr add 192.168.1.2/24 dev eth0
ip -n isp1 addr add 198.51.100.1/32 dev lo
ip -n isp2 addr add 198.51.100.2/32 dev lo
ip -n isp2 addr add 198.51.100.1/32 dev lo
ip -n r link set up1 up
ip -n r link set up2 up
ip -n r link set lan0 up
ip -n isp1 link set wan up
ip -n isp2 link set wan up
ip -n lan link set eth0 up
ip -n lan route add default via 192.168.1.1
ip -n isp2 route add default via 10.2.0.2
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
sleep 3
ip -n r route add default via 10.1.0.1
ip -n r route add default via 10.2.0.1 table 100
ip -n r rule add fwmark 7 lookup 100
ip -n r rule add fwmark 0x20/0xf0 lookup 100
ip -n r rule
ip -n r route get 198.51.100.2
ip -n r route get 198.51.100.2 mark 7
ip -n r route get 198.51.100.2 mark 0x2f
ip -n r route get 198.51.100.2 mark 0x3f
ip netns exec r ping -c 1 -W 1 198.51.100.2
ip netns exec r ping -c 1 -m 7 198.51.100.2
ip netns exec r ping -c 1 -m 0x25 198.51.100.2
ip netns exec lan ping -c 1 -W 1 198.51.100.2
# mangle PREROUTING marks the LAN's packets: forwarded through table 100
ip netns exec r iptables -t mangle -A PREROUTING -i lan0 -j MARK --set-mark 7
ip netns exec lan ping -c 2 -i 0.2 198.51.100.2
ip netns exec r iptables -t mangle -F
# mangle OUTPUT marks the host's own ICMP: rerouted
ip netns exec r iptables -t mangle -A OUTPUT -p icmp -j MARK --set-mark 7
ip netns exec r ping -c 2 -i 0.2 198.51.100.2
ip netns exec r iptables -t mangle -L OUTPUT -v -n
ip netns exec r iptables -t mangle -F
# every MARK form, and CONNMARK
ip netns exec r iptables -t mangle -A PREROUTING -j MARK --set-mark 1
ip netns exec r iptables -t mangle -A PREROUTING -j MARK --set-mark 0x2/0xff
ip netns exec r iptables -t mangle -A PREROUTING -j MARK --set-xmark 3/0xf
ip netns exec r iptables -t mangle -A PREROUTING -j MARK --and-mark 0xf0
ip netns exec r iptables -t mangle -A PREROUTING -j MARK --or-mark 4
ip netns exec r iptables -t mangle -A PREROUTING -j MARK --xor-mark 5
ip netns exec r iptables -t mangle -A PREROUTING -m mark --mark 7 -j ACCEPT
ip netns exec r iptables -t mangle -A PREROUTING -m mark ! --mark 0x8/0xf -j ACCEPT
ip netns exec r iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark
ip netns exec r iptables -t mangle -A PREROUTING -j CONNMARK --save-mark
ip netns exec r iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 9
ip netns exec r iptables -t mangle -A PREROUTING -j CONNMARK --set-xmark 0x9/0xff
ip netns exec r iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xf
ip netns exec r iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark --mask 0xff
ip netns exec r iptables -t mangle -A PREROUTING -m connmark --mark 9 -j ACCEPT
ip netns exec r iptables -t mangle -A PREROUTING -m connmark ! --mark 0x9/0xf -j ACCEPT
ip netns exec r iptables -t mangle -S PREROUTING
ip netns exec r iptables -t mangle -L PREROUTING -n
ip netns exec r iptables-save -t mangle | grep -v '^#'
ip netns exec r iptables -t mangle -A PREROUTING -j MARK
echo "exit $?"
ip netns exec r iptables -t mangle -A PREROUTING -j MARK --set-mark 1 --or-mark 2
echo "exit $?"
ip netns exec r iptables -t mangle -F
# CONNMARK: the first packet of each connection from the LAN is marked
# and the mark saved; later ones restore it
ip netns exec r iptables -t mangle -A PREROUTING -i lan0 -j CONNMARK --restore-mark
ip netns exec r iptables -t mangle -A PREROUTING -i lan0 -m mark --mark 0 -j MARK --set-mark 7
ip netns exec r iptables -t mangle -A PREROUTING -i lan0 -j CONNMARK --save-mark
ip netns exec lan ping -c 3 -i 0.2 198.51.100.2
ip netns exec r iptables -t mangle -L PREROUTING -v -n
ip netns exec r conntrack -L 2>/dev/null | sed 's/id=[0-9]* //' | sort
