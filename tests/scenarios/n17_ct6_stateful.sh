# IPv6 conntrack: ip6tables ESTABLISHED,RELATED with policy DROP in a router's FORWARD and a host's INPUT; echo allowed as NEW one way only, replies and an ICMPv6 time exceeded pass as tracked; conntrack -L of both families.
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
ip netns exec r ip6tables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ip netns exec r ip6tables -A FORWARD -i ra -o rb -m conntrack --ctstate NEW -j ACCEPT
ip netns exec r ip6tables -P FORWARD DROP
ip netns exec b ip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ip netns exec b ip6tables -A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT
ip netns exec b ip6tables -A INPUT -s fd00:1::/64 -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT
ip netns exec b ip6tables -P INPUT DROP
ip netns exec r conntrack -L
ip netns exec a ping -c 2 -e 1234 fd00:2::2
ip netns exec r conntrack -L -f ipv6
ip netns exec b ping -c 2 -W 1 -e 4321 fd00:1::2
ip netns exec b ping -c 1 -t 1 -e 77 fd00:1::2
ip netns exec r ip6tables -L FORWARD -n -v -x
ip netns exec b ip6tables -L INPUT -n -v -x
ip netns exec b conntrack -L -f ipv6
ip netns exec r conntrack -L
ip netns exec r conntrack -L -f ipv4
ip netns exec r conntrack -L -p icmpv6
ip netns exec r conntrack -C
ip netns exec r cat /proc/net/nf_conntrack
ip netns exec r conntrack -D -p icmpv6
ip netns exec r conntrack -D -p icmpv6
ip netns exec b ip6tables -D INPUT 2
ip netns exec b ip6tables -Z INPUT
ip netns exec a ping -c 1 -W 1 -e 99 fd00:2::2
ip netns exec b ip6tables -L INPUT -n -v -x
ip netns exec b conntrack -L -f ipv4
ip netns exec b conntrack -F
ip netns exec b conntrack -L
