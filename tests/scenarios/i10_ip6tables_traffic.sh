# ip6tables on IPv6 traffic: ping -6 through a router namespace counted, dropped and rejected at INPUT, FORWARD and OUTPUT, and marks from mangle.
ip netns add a
ip netns add r
ip netns add b
ip link add va type veth peer name ra
ip link add vb type veth peer name rb
ip link set va netns a
ip link set ra netns r
ip link set rb netns r
ip link set vb netns b
ip -n a link set va address 02:00:00:00:00:0a
ip -n r link set ra address 02:00:00:00:00:01
ip -n r link set rb address 02:00:00:00:00:02
ip -n b link set vb address 02:00:00:00:00:0b
ip -n a link set lo up
ip -n r link set lo up
ip -n b link set lo up
ip -n a addr add fd00:1::2/64 dev va
ip -n a link set va up
ip -n r addr add fd00:1::1/64 dev ra
ip -n r link set ra up
ip -n r addr add fd00:2::1/64 dev rb
ip -n r link set rb up
ip -n b addr add fd00:2::2/64 dev vb
ip -n b link set vb up
ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=1
ip -n a -6 route add default via fd00:1::1
ip -n b -6 route add default via fd00:2::1
sleep 3
ip netns exec a ping -c 2 fd00:2::2
ip netns exec r ip6tables -A FORWARD -p icmpv6 --icmpv6-type echo-request -s fd00:1::/64
ip netns exec r ip6tables -A FORWARD -p icmpv6 --icmpv6-type echo-reply -d fd00:1::2
ip netns exec r ip6tables -A INPUT -p icmpv6 --icmpv6-type echo-request
ip netns exec r ip6tables -A OUTPUT -p icmpv6 --icmpv6-type echo-reply
ip netns exec a ping -c 2 fd00:2::2
ip netns exec a ping -c 3 fd00:1::1
ip netns exec r ip6tables -L -n -v -x
ip netns exec r ip6tables -Z
ip netns exec r ip6tables -I FORWARD -d fd00:2::2 -p icmpv6 --icmpv6-type echo-request -j DROP
ip netns exec a ping -c 2 -W 1 fd00:2::2
ip netns exec r ip6tables -R FORWARD 1 -d fd00:2::2 -j REJECT --reject-with icmp6-adm-prohibited
ip netns exec a ping -c 2 fd00:2::2
ip netns exec r ip6tables -R FORWARD 1 -d fd00:2::2 -j REJECT
ip netns exec a ping -c 1 fd00:2::2
ip netns exec r ip6tables -R FORWARD 1 -d fd00:2::2 -j REJECT --reject-with icmp6-no-route
ip netns exec a ping -c 1 fd00:2::2
ip netns exec r ip6tables -R FORWARD 1 -d fd00:2::2 -j REJECT --reject-with addr-unreach
ip netns exec a ping -c 1 fd00:2::2
ip netns exec r ip6tables -L FORWARD -n -v -x
ip netns exec r ip6tables -D FORWARD 1
ip netns exec r ip6tables -P INPUT DROP
ip netns exec a ping -c 1 -W 1 fd00:1::1
ip netns exec r ip6tables -A INPUT -p icmpv6 --icmpv6-type neighbour-solicitation -j ACCEPT
ip netns exec r ip6tables -A INPUT -p icmpv6 --icmpv6-type neighbour-advertisement -j ACCEPT
ip netns exec r ip6tables -A INPUT -s fd00:1::2 -j ACCEPT
ip netns exec a ping -c 1 fd00:1::1
ip netns exec r ip6tables -P INPUT ACCEPT
ip netns exec b ip6tables -A OUTPUT -d fd00:1::2 -j REJECT --reject-with icmp6-adm-prohibited
ip netns exec a ping -c 1 fd00:2::2
ip netns exec b ip6tables -L OUTPUT -n -v
ip netns exec b ip6tables -F
ip netns exec r ip6tables -t mangle -A PREROUTING -i ra -p icmpv6 --icmpv6-type echo-request -j MARK --set-mark 5
ip netns exec r ip6tables -A FORWARD -m mark --mark 5 -j ACCEPT
ip netns exec r ip6tables -P FORWARD DROP
ip netns exec a ping -c 1 fd00:2::2
ip netns exec b ping -c 1 -W 1 fd00:1::2
ip netns exec r ip6tables -L FORWARD -n -v
ip netns exec r ip6tables -t mangle -L PREROUTING -n -v
ip netns exec r iptables -L -n -v
ip netns exec r ip6tables -A OUTPUT -p tcp
ip netns exec r ip6tables -Z OUTPUT
ip netns exec r ping -c 2 -i 0.2 ::1
ip netns exec r ip6tables -L OUTPUT -n -v
ip netns exec r ip6tables -P OUTPUT ACCEPT
ip netns exec r ip6tables -L OUTPUT -n -v
ip netns exec r iptables -A OUTPUT -p tcp
ip netns exec r iptables -Z OUTPUT
ip netns exec r ping -c 2 -i 0.2 127.0.0.1
ip netns exec r iptables -L OUTPUT -n -v
ip netns exec r iptables -P OUTPUT ACCEPT
ip netns exec r iptables -L OUTPUT -n -v
