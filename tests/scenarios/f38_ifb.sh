# area: ifb
# ifb: the Intermediate Functional Block device as tc guides create it
# before redirecting ingress traffic to it (the redirect itself is tc's).
# Its flags and details, the default name, the counters of what it is
# given without a redirect source (counted as received, then dropped),
# what tcpdump sees on it, MTU and address changes, deletion.
ip link add ifb0 type ifb
ip link show ifb0
ip -d link show ifb0
ip link add type ifb
ip link add ifb7 address 02:00:00:00:00:07 type ifb
ip link show
sysctl -qw net.ipv6.conf.ifb0.disable_ipv6=1
sysctl -qw net.ipv6.conf.ifb1.disable_ipv6=1
ip link set ifb0 up
ip link show ifb0
ip addr add 10.9.0.1/24 dev ifb0
ip addr show ifb0
ip route show
ip -s link show ifb0
tcpdump -ni ifb0 -c 2 >cap.txt 2>&1 &
sleep 1
ping -c 2 -i 0.2 -W 1 10.9.0.2
wait
cat cap.txt
ip neigh show dev ifb0
ip -s link show ifb0
ip -s -s link show ifb0
ip link set ifb0 mtu 9000
ip link set ifb0 address 02:00:00:00:00:b0
ip link show ifb0
ip link set ifb0 down
ip -br link show ifb0
ip link set ifb1 up
ip -br link
ip link del ifb0
ip link del ifb1
ip link show
ip link add ifb7 type ifb
