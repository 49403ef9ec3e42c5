# Proxy NDP: one /64 split across a router, as ISPs hand out a single
# prefix; the router answers neighbour solicitations for addresses listed
# with `ip -6 neigh add proxy` when proxy_ndp and forwarding are on.
ip netns add a
ip netns add r
ip netns add b
ip link add va netns a type veth peer name ra netns r
ip link add vb netns b type veth peer name rb netns r
ip -n a link set va address 02:00:00:00:00:0a
ip -n r link set ra address 02:00:00:00:01:0a
ip -n r link set rb address 02:00:00:00:01:0b
ip -n b link set vb address 02:00:00:00:00:0b
ip -n a addr add 2001:db8::1/64 dev va nodad
ip -n b addr add 2001:db8::2/64 dev vb nodad
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n r -6 route add 2001:db8::1/128 dev ra
ip -n r -6 route add 2001:db8::2/128 dev rb
ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=1
ip netns exec r sysctl net.ipv6.conf.all.proxy_ndp net.ipv6.conf.ra.proxy_ndp net.ipv6.neigh.ra.proxy_delay
sleep 3
# Without proxy_ndp the solicitation goes unanswered.
ip netns exec a ping -c 1 -W 1 2001:db8::2 | tail -2 | head -1
ip -n a -6 neigh show 2001:db8::2
ip -n a -6 neigh flush dev va
# The entries alone are not enough: proxy_ndp must be on too.
ip -n r -6 neigh add proxy 2001:db8::2 dev ra
ip -n r -6 neigh add proxy 2001:db8::1 dev rb router
ip -n r -6 neigh show proxy
ip -n r neigh show proxy
ip -n r -j -6 neigh show proxy
ip netns exec a ping -c 1 -W 1 2001:db8::2 | tail -2 | head -1
ip -n a -6 neigh flush dev va
ip netns exec r sysctl -w net.ipv6.conf.ra.proxy_ndp=1 net.ipv6.conf.rb.proxy_ndp=1
ip netns exec a tcpdump -lenni va -c 2 'icmp6 and (ip6[40] == 135 or ip6[40] == 136)' >cap1.txt 2>&1 &
ip netns exec b tcpdump -lvnni vb -c 2 'icmp6 and (ip6[40] == 135 or ip6[40] == 136)' >cap2.txt 2>&1 &
sleep 1
ip netns exec a ping -c 1 -W 3 2001:db8::2 | head -2 | tail -1 | cut -d' ' -f1-6
wait
sed 's/^[0-9:.]* //' cap1.txt
sed 's/^[0-9:.]* //' cap2.txt
ip -n a -6 neigh show 2001:db8::2
ip -n b -6 neigh show 2001:db8::1
ip -n r -6 neigh del proxy 2001:db8::2 dev ra
ip -n r -6 neigh del proxy 2001:db8::2 dev ra
ip -n r -6 neigh show proxy
