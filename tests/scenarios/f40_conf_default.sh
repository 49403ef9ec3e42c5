# net.ipv4.conf.default.* and net.ipv6.conf.default.* are the settings a
# device gets when it is created; all.forwarding and ip_forward set the
# default too. Address flush by label, and the default route that goes
# with the last address of a device (moving an address onto a bridge).
ip netns add n
ip netns exec n sysctl net.ipv4.conf.default.forwarding net.ipv6.conf.default.disable_ipv6 net.ipv4.conf.default.proxy_arp
ip netns exec n sysctl -w net.ipv6.conf.default.disable_ipv6=1
ip netns exec n sysctl -w net.ipv4.conf.default.proxy_arp=1 net.ipv4.conf.default.rp_filter=2 net.ipv4.conf.default.accept_local=1
ip netns exec n sysctl -w net.ipv4.conf.default.arp_ignore=1 net.ipv4.conf.default.arp_announce=2 net.ipv4.conf.default.send_redirects=0
ip netns exec n sysctl -w net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.default.hop_limit=32
ip -n n link add x1 type veth peer name x2
ip -n n link set x1 up
ip -n n link set x2 up
ip -n n addr show dev x1
ip netns exec n sysctl net.ipv6.conf.x1.disable_ipv6 net.ipv4.conf.x1.proxy_arp net.ipv4.conf.x1.rp_filter net.ipv4.conf.x1.accept_local
ip netns exec n sysctl net.ipv4.conf.x2.arp_ignore net.ipv4.conf.x2.arp_announce net.ipv4.conf.x2.send_redirects
ip netns exec n sysctl net.ipv6.conf.x1.accept_ra net.ipv6.conf.x1.hop_limit
ip netns exec n sysctl net.ipv6.conf.lo.disable_ipv6 net.ipv4.conf.lo.proxy_arp
ip netns exec n sysctl -w net.ipv6.conf.default.disable_ipv6=0
ip -n n link add br0 type bridge
ip -n n link set br0 up
ip netns exec n sysctl net.ipv6.conf.br0.disable_ipv6 net.ipv4.conf.br0.proxy_arp net.ipv4.conf.br0.forwarding net.ipv6.conf.br0.forwarding
# Forwarding: default alone changes only later devices.
ip netns exec n sysctl -w net.ipv4.conf.default.forwarding=1 net.ipv6.conf.default.forwarding=1
ip netns exec n sysctl net.ipv4.conf.x1.forwarding net.ipv4.ip_forward net.ipv6.conf.x1.forwarding net.ipv6.conf.all.forwarding
ip -n n link add y1 type veth peer name y2
ip netns exec n sysctl net.ipv4.conf.y1.forwarding net.ipv6.conf.y1.forwarding
ip netns exec n sysctl -w net.ipv4.conf.default.forwarding=0 net.ipv6.conf.default.forwarding=0
# ip_forward and all.forwarding set default as well.
ip netns exec n sysctl -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip netns exec n sysctl net.ipv4.conf.default.forwarding net.ipv6.conf.default.forwarding net.ipv4.conf.x2.forwarding
ip -n n link add z1 type veth peer name z2
ip netns exec n sysctl net.ipv4.conf.z1.forwarding net.ipv6.conf.z1.forwarding
ip netns exec n sysctl -w net.ipv4.conf.all.forwarding=0
ip netns exec n sysctl net.ipv4.ip_forward net.ipv4.conf.default.forwarding net.ipv4.conf.z1.forwarding
# Flush by label.
ip -n n addr add 10.1.0.1/24 dev x1
ip -n n addr add 10.1.0.2/24 dev x1 label x1:1
ip -n n addr add 10.1.0.3/24 dev x1 label x1:2
ip -n n addr add 10.2.0.1/24 dev x2 label x2:a
ip -n n addr flush label "x1:*"
ip -n n -4 addr show
ip -n n addr add 10.1.0.2/24 dev x1 label x1:1
ip -n n addr flush label x1:1
ip -n n addr show label "x*"
ip -n n addr flush label x9
ip -n n addr flush dev x2 label "x2:*"
ip -n n -4 addr show
# The last address of a device goes, and with it every route through it.
ip -n n route add default via 10.1.0.254 dev x1
ip -n n route add 10.9.0.0/24 via 10.1.0.254
ip -n n route
ip -n n addr flush dev x1
ip -n n route
ip -n n link set x1 master br0
ip -n n addr add 10.1.0.1/24 dev br0
ip -n n route add default via 10.1.0.254 dev br0
ip -n n route
# ip -6 route show with a prefix: exact by default, match and root.
ip -n n -6 addr add 2001:db8:1::1/64 dev br0 nodad
ip -n n -6 route add 2001:db8:2::/48 dev br0
ip -n n -6 route add 2001:db8:2:5::/64 via 2001:db8:1::fe
ip -n n -6 route show 2001:db8:1::/64
ip -n n -6 route show 2001:db8:2::/48
ip -n n -6 route show 2001:db8:2::
ip -n n -6 route show 2001:db8:2:5::1
ip -n n -6 route show match 2001:db8:2:5::1
ip -n n -6 route show root 2001:db8::/32
ip -n n -6 route show exact 2001:db8:2:5::/64
ip -n n -6 route show table local 2001:db8:1::1
ip -n n -6 route show 2001:db8:1::/64 dev x1
ip -n n route show 10.1.0.0/24
ip -n n route show 10.1.0.0
