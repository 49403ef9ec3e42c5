ip netns add x
ip netns exec x cat /proc/net/dev
ip netns exec x cat /proc/net/route
ip netns exec x cat /proc/net/arp
ip netns exec x cat /proc/net/if_inet6
ip netns exec x cat /proc/net/ipv6_route
ip netns exec x cat /proc/net/igmp
ip netns exec x cat /proc/net/igmp6
ip netns exec x cat /proc/net/dev_mcast
ip netns exec x cat /proc/net/tcp
ip netns exec x cat /proc/net/udp
ip netns exec x cat /proc/net/raw
ip netns exec x cat /proc/net/packet
ip netns exec x cat /proc/net/unix
ip netns exec x cat /proc/net/sockstat
ip netns exec x cat /proc/net/sockstat6
ip netns exec x cat /proc/net/snmp
ip netns exec x ip link set lo up
ip netns exec x cat /proc/net/if_inet6
ip netns exec x cat /proc/net/ipv6_route
ip netns exec x cat /proc/net/igmp
ip netns exec x cat /proc/net/igmp6
ip netns exec x cat /proc/net/route
