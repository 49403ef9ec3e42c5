# Link flags: promisc, allmulticast, arp off, multicast off, dynamic and
# their listings (ip link, ip -d link's promiscuity/allmulti, ifconfig
# flags); mtu, txqueuelen and alias together. This kernel has no dummy
# driver, so a veth end (peer down: no traffic) and a tap stand in.
ip link add d1 address 02:00:00:00:d1:01 type veth peer name d1p address 02:00:00:00:d1:02
sysctl -qw net.ipv6.conf.d1.disable_ipv6=1
ip tuntap add mode tap tap0
ip link set d1 up
ip link show d1
ip addr add 10.50.0.1/24 dev d1
ip link set d1 promisc on
ip link show d1
ip -d link show d1
ip link set d1 allmulticast on
ip link show d1
ip -d link show d1
ip link set d1 arp off
ip link show d1
ip route show table local dev d1
ip link set d1 multicast off
ip link show d1
ip link set d1 dynamic on
ip link show d1
ifconfig d1
ip link set d1 promisc off allmulticast off arp on multicast on dynamic off
ip link show d1
ifconfig d1 promisc
ifconfig d1 -arp
ifconfig d1 allmulti
ip link show d1
ifconfig d1 -promisc arp -allmulti
ip link show d1
ifconfig d1 -multicast
ip link show d1
ifconfig d1 multicast
ip link set d1 mtu 9000 txqueuelen 10 alias "veth one"
ip -d link show d1
ip link set d1 alias ""
ip link show d1
ip link set tap0 promisc on arp off
ip link show tap0
ip -d link show tap0
ifconfig tap0
ip link set d1 down
ip link show d1
ip link del d1
ip -br link
