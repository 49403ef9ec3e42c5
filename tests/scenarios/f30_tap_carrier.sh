# tap and tun devices without a reader: up but NO-CARRIER, routes marked
# linkdown, what ping and the counters see; ip -s -s link.
ip tuntap add mode tap tap0
ip tuntap add mode tun tun0
ip link set tap0 address 02:00:00:00:07:00
ip link set tap0 up
ip link set tun0 up
ip link show tap0
ip link show tun0
ip -br link
ip -d link show tap0
ip addr add 192.168.10.1/24 dev tap0
ip addr add 192.168.11.1/24 dev tun0
ip addr show tap0
ip addr show tun0
ip route
ip route get 192.168.10.2
ip route get 192.168.11.2
ping -c 1 -W 1 192.168.10.2
ping -c 1 -W 1 192.168.11.2
ping -c 1 192.168.10.1
# Let the unanswered ARP solicitations run out (3, a second apart).
sleep 3
ip neigh
ip -s -s link show tap0
ip -s -s link show tun0
ip -s link show lo
ifconfig tap0
ifconfig tun0
ip link set tap0 carrier on
ip link set tap0 down
ip link show tap0
ip route
