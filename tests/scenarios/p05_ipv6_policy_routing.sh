# area: policy routing
# IPv6 source and mark routing on a host with two uplinks (LARTC's
# "multiple uplinks" done with ip -6): each uplink's own table, `ip -6
# rule from ... table` and `fwmark` rules fed by ip6tables MARK, `ip -6
# route get` with from/iif/mark, the tables listed (`table all`, a missing
# table's error), ping6 across namespaces leaving by the uplink the rules
# choose (tcpdump on each ISP's side), and rules and tables taken away.
ip netns add h
ip netns add isp1
ip netns add isp2
ip netns add srv
ip link add up1 netns h address 02:00:00:00:05:01 type veth peer name wan netns isp1 address 02:00:00:00:05:11
ip link add up2 netns h address 02:00:00:00:05:02 type veth peer name wan netns isp2 address 02:00:00:00:05:12
ip link add core netns isp1 address 02:00:00:00:05:21 type veth peer name in1 netns srv address 02:00:00:00:05:31
ip link add core netns isp2 address 02:00:00:00:05:22 type veth peer name in2 netns srv address 02:00:00:00:05:32
for n in h isp1 isp2 srv; do ip -n $n link set lo up; done
ip -n h addr add 2001:db8:1::10/64 dev up1 nodad
ip -n h addr add 2001:db8:2::10/64 dev up2 nodad
ip -n isp1 addr add 2001:db8:1::1/64 dev wan nodad
ip -n isp2 addr add 2001:db8:2::1/64 dev wan nodad
ip -n isp1 addr add 2001:db8:a::1/64 dev core nodad
ip -n isp2 addr add 2001:db8:b::1/64 dev core nodad
ip -n srv addr add 2001:db8:a::2/64 dev in1 nodad
ip -n srv addr add 2001:db8:b::2/64 dev in2 nodad
ip -n srv addr add 2001:db8:ff::1/128 dev lo
ip -n h link set up1 up
ip -n h link set up2 up
for n in isp1 isp2; do ip -n $n link set wan up; ip -n $n link set core up; done
ip -n srv link set in1 up
ip -n srv link set in2 up
ip netns exec isp1 sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec isp2 sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n isp1 -6 route add default via 2001:db8:a::2
ip -n isp2 -6 route add default via 2001:db8:b::2
ip -n srv -6 route add 2001:db8:1::/64 via 2001:db8:a::1
ip -n srv -6 route add 2001:db8:2::/64 via 2001:db8:b::1
sleep 3
# the host: main goes out of up1, table 200 out of up2
ip -n h -6 route add default via 2001:db8:1::1
ip -n h -6 route add 2001:db8:2::/64 dev up2 table 200
ip -n h -6 route add default via 2001:db8:2::1 dev up2 table 200
ip -n h -6 route show table 200
ip -n h -6 route show table 201
echo "exit $?"
ip -n h -6 rule add from 2001:db8:2::10 table 200 pref 100
ip -n h -6 rule add fwmark 2 table 200 pref 110
ip -n h -6 rule
ip -n h -6 route show table all
ip -n h -6 route get 2001:db8:ff::1
ip -n h -6 route get 2001:db8:ff::1 from 2001:db8:2::10
ip -n h -6 route get 2001:db8:ff::1 from 2001:db8:1::10
ip -n h -6 route get 2001:db8:ff::1 mark 2
ip -n h -6 route get 2001:db8:ff::1 from 2001:db8:1::99 iif up1
ip -n h -6 route get 2001:db8:ff::1 from 2001:db8:2::99 iif up1
ip -n h -6 route get 2001:db8:2::1
ip -n h -6 route get 2001:db8:2::1 from 2001:db8:2::10
# which uplink each ping takes
ip netns exec isp1 tcpdump -nl -i wan -c 5 icmp6 and 'ip6[40] == 128 or ip6[40] == 129' >isp1.txt 2>/dev/null &
ip netns exec isp2 tcpdump -nl -i wan -c 5 icmp6 and 'ip6[40] == 128 or ip6[40] == 129' >isp2.txt 2>/dev/null &
sleep 1
ip netns exec h ping -c 1 2001:db8:ff::1
ip netns exec h ping -c 1 -I 2001:db8:2::10 2001:db8:ff::1
ip netns exec h ping -c 1 -I 2001:db8:1::10 2001:db8:ff::1
ip netns exec h ping -c 1 -m 2 2001:db8:ff::1
# MARK in mangle OUTPUT reroutes (ip6_route_me_harder): the request
# leaves by up2 with up1's source, the reply comes back by isp1
ip netns exec h ip6tables -t mangle -A OUTPUT -d 2001:db8:ff::1 -p icmpv6 --icmpv6-type echo-request -j MARK --set-mark 2
ip netns exec h ping -c 1 2001:db8:ff::1
wait
cat isp1.txt
cat isp2.txt
ip netns exec h ip6tables -t mangle -vnL OUTPUT | sed 's/^ *[0-9]* *[0-9]* //'
# taking it apart
ip -n h -6 rule del pref 110
ip -n h -6 rule del from 2001:db8:2::10 table 200
ip -n h -6 route get 2001:db8:ff::1 from 2001:db8:2::10
ip -n h -6 route del default table 200
ip -n h -6 route del default table 200
echo "exit $?"
ip -n h -6 route del default table 203
echo "exit $?"
ip -n h -6 route flush table 200
ip -n h -6 route show table 200
ip -n h -6 route flush table 203
echo "exit $?"
ip -n h -6 rule
