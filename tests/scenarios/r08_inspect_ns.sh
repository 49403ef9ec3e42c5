# area: realistic
# "Inspect a namespace" as troubleshooting guides do: interfaces and their
# addresses from /sys and /proc, counters from /proc/net/dev and
# /proc/net/snmp, sockets from /proc/net/udp, all through read loops.
ip netns add box
ip link add host0 type veth peer name eth0 netns box
ip addr add 10.200.0.1/30 dev host0
ip link set host0 up
ip -n box addr add 10.200.0.2/30 dev eth0
ip -n box link set eth0 up
ip -n box link set lo up
ip -n box link set eth0 mtu 1400
sleep 3
ip netns exec box ls /sys/class/net
for d in $(ip netns exec box ls /sys/class/net); do
    printf '%-5s mtu=%s state=%s\n' "$d" \
        "$(ip netns exec box cat /sys/class/net/$d/mtu)" \
        "$(ip netns exec box cat /sys/class/net/$d/operstate)"
done
ip netns exec box cat /sys/class/net/eth0/ifindex /sys/class/net/eth0/type /sys/class/net/eth0/tx_queue_len
ping -c 3 -q 10.200.0.2 > /dev/null
ip netns exec box awk '/Ip:/ && !h {h=1; next} /Ip:/ {print "InReceives", $3, "InDelivers", $10}' /proc/net/snmp
ip netns exec box grep -E '^(Icmp|IcmpMsg):' /proc/net/snmp | awk 'NR % 2 == 0 {print $1, $2, $3}'
ip netns exec box cat /proc/net/dev | tail -n +3 | while read -r name rx_bytes rx_packets rest; do
    echo "${name%:} rx_packets=$rx_packets"
done | sort
ip netns exec box nc -u -l -p 5353 > /dev/null &
sleep 1
ip netns exec box cat /proc/net/udp | awk 'NR > 1 {print $2, $4}'
kill %1
wait
ip netns exec box cat /proc/sys/net/ipv4/conf/eth0/forwarding /proc/sys/net/ipv6/conf/eth0/mtu
ip netns exec box sysctl net.ipv4.conf.eth0.rp_filter net.ipv4.ip_default_ttl
