# area: realistic
# LARTC-style routing checks: a router namespace between two nets, routes
# read back through ip route, /proc/net/route and ip route get, and the
# forwarding switch flipped through /proc/sys.
ip netns add left
ip netns add right
ip netns add router
ip link add l0 type veth peer name r0
ip link add l1 type veth peer name r1
ip link set l0 netns left
ip link set r0 netns router
ip link set r1 netns router
ip link set l1 netns right
ip -n left addr add 192.168.10.2/24 dev l0
ip -n router addr add 192.168.10.1/24 dev r0
ip -n router addr add 192.168.20.1/24 dev r1
ip -n right addr add 192.168.20.2/24 dev l1
for ns in left right router; do
    ip -n $ns link set lo up
    for dev in $(ip -n $ns -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^lo$'); do
        ip -n $ns link set "$dev" up
    done
done
ip -n left route add default via 192.168.10.1
ip -n right route add 192.168.10.0/24 via 192.168.20.1
sleep 3
ip netns exec router cat /proc/sys/net/ipv4/ip_forward
ip netns exec left ping -c 1 -W 1 192.168.20.2 >/dev/null && echo reachable || echo unreachable
ip netns exec router sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
ip netns exec left ping -c 1 -W 1 192.168.20.2 >/dev/null && echo reachable || echo unreachable
ip netns exec router cat /proc/net/route
ip netns exec router awk 'NR > 1 { printf "%s %s\n", $1, $2 }' /proc/net/route
ip -n left route get 192.168.20.2 | head -1
ip -n router route show | while read -r net rest; do
    echo "net=$net"
done
ip netns exec router cat /sys/class/net/r0/mtu /sys/class/net/r1/operstate
ip -n router -s link show r0 | awk '/RX:/ {getline; print "rx_packets", $2}'
