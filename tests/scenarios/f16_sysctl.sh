# sysctl and /proc/sys: ip_forward in the host and in namespaces.
sysctl net.ipv4.ip_forward
sysctl -n net.ipv4.ip_forward
cat /proc/sys/net/ipv4/ip_forward
sysctl -w net.ipv4.ip_forward=1
cat /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.ip_forward
sysctl -q -w net.ipv4.ip_forward=0
sysctl net.ipv4.ip_forward
echo 1 > /proc/sys/net/ipv4/ip_forward
sysctl net.ipv4.ip_forward
sysctl net/ipv4/ip_forward
sysctl -w net.ipv4.ip_forward=0
sysctl net.ipv4.conf.all.forwarding
sysctl net.ipv4.conf.lo.forwarding
sysctl net.ipv6.conf.all.forwarding
ip netns add ns1
ip netns exec ns1 sysctl net.ipv4.ip_forward
sysctl -w net.ipv4.ip_forward=1
ip netns exec ns1 sysctl net.ipv4.ip_forward
ip netns exec ns1 cat /proc/sys/net/ipv4/ip_forward
ip netns exec ns1 sysctl -w net.ipv4.ip_forward=1
sysctl -w net.ipv4.ip_forward=0
ip netns exec ns1 sysctl net.ipv4.ip_forward
sysctl net.ipv4.nosuch
sysctl -w net.ipv4.ip_forward
sysctl -w net.ipv4.ip_forward=abc
cat /proc/sys/net/ipv4/nosuch
sysctl net.ipv4.conf.all.rp_filter
sysctl net.ipv4.conf.default.rp_filter
sysctl net.ipv4.neigh.default.base_reachable_time_ms
sysctl net.ipv4.neigh.default.gc_stale_time
sysctl net.ipv4.ip_default_ttl
sysctl net.ipv6.conf.all.disable_ipv6
