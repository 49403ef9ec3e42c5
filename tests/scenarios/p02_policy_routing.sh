# LARTC-style source routing on a host with two uplinks (lartc.org 4.2,
# "Routing for multiple uplinks/providers"): each uplink's own table, rules
# choosing it by source address, a LAN forwarded out of the second uplink,
# and `ip route get` with from/iif/oif/mark/ipproto/dport/uid/tos.
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
ip -n isp2 addr add 198.51.100.1/32 dev lo
ip -n r link set up1 up
ip -n r link set up2 up
ip -n r link set lan0 up
ip -n isp1 link set wan up
ip -n isp2 link set wan up
ip -n lan link set eth0 up
ip -n lan route add default via 192.168.1.1
ip -n isp2 route add 192.168.1.0/24 via 10.2.0.2
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
sleep 3
ip -n r route add 10.1.0.0/24 dev up1 src 10.1.0.2 table 1
ip -n r route add default via 10.1.0.1 table 1
ip -n r route add 10.2.0.0/24 dev up2 src 10.2.0.2 table 2
ip -n r route add default via 10.2.0.1 table 2
ip -n r route add default via 10.1.0.1
ip -n r rule add from 10.1.0.2 table 1
ip -n r rule add from 10.2.0.2 table 2
ip -n r rule add from 192.168.1.0/24 table 2
ip -n r rule
ip -n r route show table 1
ip -n r route show table 2
ip -4 -n r route show table all
ip -n r route get 198.51.100.1
ip -n r route get 198.51.100.1 from 10.1.0.2
ip -n r route get 198.51.100.1 from 10.2.0.2
ip -n r route get 198.51.100.1 from 192.168.1.2 iif lan0
ip -n r route get 192.168.1.2 from 10.2.0.2
ip -n r route get 10.2.0.1 from 10.1.0.2
ip -n r -j route get 198.51.100.1 from 10.2.0.2
ip netns exec r ping -c 1 198.51.100.1
ip netns exec r ping -c 1 -I 10.1.0.2 198.51.100.1
ip netns exec r ping -c 1 -I 10.2.0.2 198.51.100.1
ip netns exec lan ping -c 2 -i 0.2 198.51.100.1
ip -n r rule del from 192.168.1.0/24 table 2
ip netns exec lan ping -c 1 -W 1 198.51.100.1
# selectors of a flow
ip -n r rule add fwmark 7 table 2 pref 100
ip -n r rule add ipproto tcp dport 443 table 2 pref 101
ip -n r rule add uidrange 1000-1999 table 2 pref 102
ip -n r rule add tos 0x10 table 2 pref 103
ip -n r rule add oif up2 table 2 pref 104
ip -n r rule add iif lan0 table 2 pref 105
ip -n r route get 198.51.100.1 mark 7
ip -n r route get 198.51.100.1 mark 8
ip -n r route get 198.51.100.1 ipproto tcp dport 443
ip -n r route get 198.51.100.1 ipproto tcp dport 80
ip -n r route get 198.51.100.1 ipproto udp sport 5 dport 443
ip -n r route get 198.51.100.1 uid 1500
ip -n r route get 198.51.100.1 tos 0x10
ip -n r route get 198.51.100.1 oif up2
ip -n r route get 198.51.100.1 from 192.168.1.2 iif lan0
ip -n r route get 198.51.100.1 from 192.168.1.2 iif lan0 mark 7
ip -n r rule flush
ip -n r rule add from all lookup main pref 32766
ip -n r rule add from all lookup default pref 32767
# rule actions and table misses
ip -n r rule add to 203.0.113.0/24 unreachable pref 200
ip -n r rule add to 203.0.114.0/24 prohibit pref 201
ip -n r rule add to 203.0.115.0/24 blackhole pref 202
ip -n r route get 203.0.113.1
ip -n r route get 203.0.114.1
ip -n r route get 203.0.115.1
ip netns exec r ping -c 1 203.0.113.1
ip netns exec r ping -c 1 203.0.114.1
ip netns exec r ping -c 1 203.0.115.1
ip netns exec lan ping -c 1 -W 1 203.0.113.1
ip netns exec lan ping -c 1 -W 1 203.0.114.1
ip -n r route add throw 198.51.100.0/24 table 3
ip -n r route add default via 10.2.0.1 table 3
ip -n r rule add table 3 pref 300
ip -n r route get 198.51.100.1
ip -n r route get 8.8.8.8
ip -n r rule add table main suppress_prefixlength 0 pref 250
ip -n r route get 8.8.8.8
ip -n r route get 10.1.0.1
ip -n r rule add from 10.1.0.2 goto 32766 pref 240
ip -n r route get 8.8.8.8 from 10.1.0.2
ip -n r rule
ip -n r rule del pref 32766
ip -n r route get 10.1.0.1
ip -n r route get 127.0.0.1
ip -n r rule del pref 0
ip -n r route get 127.0.0.1
ip -n r route get 10.1.0.1
ip netns exec r ping -c 1 -W 1 10.1.0.2
