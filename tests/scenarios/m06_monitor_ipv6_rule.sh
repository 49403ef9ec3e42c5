# area: monitors
# `ip monitor` of IPv6 addresses and routes and of policy rules (IPv4 and
# IPv6) in a namespace: a veth pair coming up (link-local address
# tentative then valid, the fe80::/64 and multicast routes, the local
# routes), global addresses with nodad, routes added, replaced and
# deleted, rules added and deleted; `ip -6 monitor label` beside
# `ip monitor address`, `route` and `rule` each on its own.
ip netns add n
ip -n n monitor address >addr.txt 2>&1 &
ip -n n monitor route >route.txt 2>&1 &
ip -n n monitor rule >rule.txt 2>&1 &
ip -n n -6 monitor label >all6.txt 2>&1 &
sleep 0.5
ip -n n link add v0 address 02:00:00:00:02:10 type veth peer name v1 address 02:00:00:00:02:11
ip -n n link set v1 up
ip -n n link set v0 up
sleep 3
ip -n n addr add 2001:db8:1::1/64 dev v0 nodad
ip -n n addr add 2001:db8:2::1/64 dev v0 nodad preferred_lft 100 valid_lft 200
ip -n n -6 route add 2001:db8:9::/48 via 2001:db8:1::2
ip -n n -6 route add 2001:db8:8::/48 dev v0 metric 50
ip -n n -6 route replace 2001:db8:8::/48 dev v0 metric 50 mtu 1400
ip -n n -6 route add blackhole 2001:db8:7::/48
ip -n n -6 route add 2001:db8:6::/48 via 2001:db8:1::2 table 100
ip -n n rule add from 10.0.0.0/8 table 100 pref 100
ip -n n rule add fwmark 7 lookup 200
ip -n n -6 rule add from 2001:db8::/32 table 100 pref 200
ip -n n -6 rule add to 2001:db8:5::/48 iif v0 prohibit
sleep 0.5
ip -n n -6 route del 2001:db8:9::/48
ip -n n -6 route del blackhole 2001:db8:7::/48
ip -n n -6 route flush table 100
ip -n n rule del pref 100
ip -n n -6 rule del pref 200
ip -n n rule del fwmark 7 lookup 200
ip -n n addr del 2001:db8:1::1/64 dev v0
ip -n n link set v0 down
sleep 0.5
kill %1 %2 %3 %4
wait
cat addr.txt
cat route.txt
cat rule.txt
cat all6.txt
