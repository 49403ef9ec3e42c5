# macvlan: Docker's macvlan network by hand (a macvlan per namespace on a
# shared lower, in bridge mode: they reach each other and the outside, not
# the lower's own address, nor does the host reach them), private and vepa
# modes, the lower's carrier and MTU, listings, errors, and a lower whose
# deletion takes its macvlans along. "out" stands for the outside network.
ip netns add out
ip netns add c1
ip netns add c2
ip link add eth0 type veth peer name sw0
ip link set sw0 netns out
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
ip netns exec out sysctl -qw net.ipv6.conf.sw0.disable_ipv6=1
ip link set eth0 address 02:00:00:00:00:e0
ip -n out link set sw0 address 02:00:00:00:00:f0
ip addr add 192.168.1.10/24 dev eth0
ip -n out addr add 192.168.1.1/24 dev sw0
ip link add link eth0 name mv1 address 02:00:00:00:01:01 type macvlan mode bridge
ip link add link eth0 name mv2 address 02:00:00:00:01:02 type macvlan mode bridge
ip link add link eth0 name mv9 type macvlan
ip -d link show mv1
ip -d link show mv9
ip link show
ip link del mv9
ip link set mv1 netns c1
ip link set mv2 netns c2
ip link show
ip -n c1 link show
ip netns exec c1 sysctl -qw net.ipv6.conf.mv1.disable_ipv6=1
ip netns exec c2 sysctl -qw net.ipv6.conf.mv2.disable_ipv6=1
ip -n c1 addr add 192.168.1.21/24 dev mv1
ip -n c2 addr add 192.168.1.22/24 dev mv2
ip -n c1 link set lo up
ip -n c2 link set lo up
ip -n c1 link set mv1 up
ip -n c1 link show mv1
ip -n c1 -br link
ip link set eth0 up
ip -n out link set sw0 up
ip -n c2 link set mv2 up
sleep 1
ip -n c1 link show mv1
ip -n c1 addr show mv1
ip -d link show eth0
ip netns exec c1 ping -c 2 -i 0.2 192.168.1.22
ip netns exec out tcpdump -eni sw0 -c 2 icmp >cap.txt 2>&1 &
sleep 1
ip netns exec c1 ping -c 1 -W 1 192.168.1.1
wait
cat cap.txt
ip netns exec c1 ping -c 1 -W 1 192.168.1.10
ping -c 1 -W 1 192.168.1.21
ip netns exec c2 ping -c 1 -W 1 192.168.1.1
ip -n c1 neigh
ip -n c2 neigh
ip -n out neigh
ip neigh
ip -n c1 route
# private: two private macvlans do not reach each other, but the outside
ip netns add c3
ip netns add c4
ip link add link eth0 name mv3 address 02:00:00:00:01:03 type macvlan mode private
ip link add link eth0 name mv4 address 02:00:00:00:01:04 type macvlan mode private
ip -d link show mv3
ip link set mv3 netns c3
ip link set mv4 netns c4
ip netns exec c3 sysctl -qw net.ipv6.conf.mv3.disable_ipv6=1
ip netns exec c4 sysctl -qw net.ipv6.conf.mv4.disable_ipv6=1
ip -n c3 addr add 192.168.1.23/24 dev mv3
ip -n c4 addr add 192.168.1.24/24 dev mv4
ip -n c3 link set mv3 up
ip -n c4 link set mv4 up
ip netns exec c3 ping -c 1 -W 1 192.168.1.24
ip netns exec c3 ping -c 1 -W 1 192.168.1.1
ip netns exec c3 ping -c 1 -W 1 192.168.1.21
# vepa: without a hairpinning switch, two vepa macvlans do not meet
ip link add link eth0 name mv5 address 02:00:00:00:01:05 type macvlan mode vepa
ip link add link eth0 name mv6 address 02:00:00:00:01:06 type macvlan
ip -d link show mv6
ip link show mv5
# errors
ip link add mvx type macvlan
ip link add link nosuch name mvx type macvlan
ip link add link eth0 name mvx type macvlan mode foo
ip link add link eth0 name mvx type macvlan mode passthru
ip link add link lo name mvx type macvlan
ip link add link eth0 name mvx type macvlan bogus
ip link add link eth0 mtu 1600 name mvx type macvlan
ip link add link eth0 name mv1 type macvlan
ip link add link eth0 name mv5 type macvlan
ip -n c1 link set mv1 mtu 1600
ip -n c1 link set mv1 mtu 1400
ip -n c1 link show mv1
ip link show | grep -c mvx
# the lower's MTU shrinks below a macvlan's: it follows
ip link set eth0 mtu 1300
ip -n c1 link show mv1
ip link show mv5
# a macvlan on a macvlan sits on the real lower
ip link add link mv5 name mv7 type macvlan
ip link show mv7
# the lower goes down: carrier lost below
ip link set eth0 down
ip -n c1 link show mv1
ip -n c2 -br link
ip link set eth0 up
ip -n c1 link show mv1
# deleting the lower deletes its macvlans, wherever they are
ip link del eth0
ip link show
ip -n c1 link show
ip -n c3 link show
