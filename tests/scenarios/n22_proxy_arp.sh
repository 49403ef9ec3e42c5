# Proxy ARP (LARTC's "proxy-arp" subnetting, Debian's "bridging without
# a bridge"): a router answers ARP requests for hosts behind it when
# proxy_arp is on and the route to the target leaves by another device
# (arp_fwd_proxy), or when the target is listed with `ip neigh add proxy`
# (pneigh). Both need forwarding on the receiving device.
ip netns add a
ip netns add r
ip netns add b
ip link add va netns a type veth peer name ra netns r
ip link add vb netns b type veth peer name rb netns r
ip -n a link set va address 02:00:00:00:00:0a
ip -n r link set ra address 02:00:00:00:01:0a
ip -n r link set rb address 02:00:00:00:01:0b
ip -n b link set vb address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/16 dev va
ip -n r addr add 10.0.0.254/24 dev ra
ip -n r addr add 10.0.1.254/24 dev rb
ip -n b addr add 10.0.1.1/24 dev vb
ip -n b addr add 10.0.1.2/24 dev vb
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n b route add default via 10.0.1.254
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec r sysctl net.ipv4.conf.all.proxy_arp net.ipv4.conf.ra.proxy_arp net.ipv4.neigh.ra.proxy_delay net.ipv4.neigh.ra.proxy_qlen
sleep 2
# Without proxy ARP nobody answers for 10.0.1.1 on a's link.
ip netns exec a ping -c 1 -W 1 10.0.1.1 | tail -2 | head -1
ip -n a neigh show 10.0.1.1
ip -n a neigh flush dev va
# proxy_arp on ra: the router answers with its own MAC.
ip netns exec r sysctl -w net.ipv4.conf.ra.proxy_arp=1
ip netns exec a tcpdump -lenni va -c 2 arp >cap1.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 -W 2 10.0.1.1 | head -2 | tail -1 | cut -d' ' -f1-6
wait
sed 's/^[0-9:.]* //' cap1.txt
ip -n a neigh show 10.0.1.1
ip -n r neigh show dev ra
# Not for an address whose route leaves by the asking device.
ip netns exec a ping -c 1 -W 1 10.0.0.77 | tail -2 | head -1
ip -n a neigh show 10.0.0.77
# Not without forwarding on the receiving device.
ip netns exec r sysctl -w net.ipv4.conf.ra.forwarding=0
ip netns exec a ping -c 1 -W 1 10.0.1.2 | tail -2 | head -1
ip netns exec r sysctl -w net.ipv4.conf.ra.forwarding=1
ip netns exec r sysctl -w net.ipv4.conf.ra.proxy_arp=0
ip -n a neigh flush dev va
# Published entries: ip neigh add proxy.
ip -n r neigh add proxy 10.0.1.2 dev ra
ip -n r neigh add proxy 10.0.1.2 dev ra
ip -n r neigh add proxy 10.0.1.3 dev rb
ip -n r neigh show proxy
ip -n r neigh show proxy dev ra
ip -n r neigh show proxy 10.0.1.3
ip -n r -4 neigh show proxy
ip -n r -j neigh show proxy
ip -n r neigh show
cat /proc/net/arp
ip netns exec r cat /proc/net/arp
ip netns exec a ping -c 1 -W 2 10.0.1.2 | head -2 | tail -1 | cut -d' ' -f1-6
ip -n a neigh show 10.0.1.2
ip netns exec a ping -c 1 -W 1 10.0.1.1 | tail -2 | head -1
ip -n r neigh del proxy 10.0.1.2 dev ra
ip -n r neigh del proxy 10.0.1.2 dev ra
ip -n r neigh add proxy 10.0.1.9
ip -n r neigh add proxy dev ra
ip -n r neigh del proxy 10.0.1.3 dev ra
ip -n r neigh show proxy
ip -n r neigh flush proxy
ip -n r neigh show proxy
ip -n r link del rb
ip -n r neigh show proxy
