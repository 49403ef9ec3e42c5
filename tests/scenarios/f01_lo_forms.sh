# Every listing form for the loopback device of a freshly booted host.
ip link
ip link show lo
ip link show dev lo
ip link list lo
ip -br link
ip -br link show lo
ip -o link
ip -d link show lo
ip -s link show lo
ip -s -s link show lo
ip -j link show lo
ip -j -p link show lo
ip addr
ip addr show lo
ip -4 addr
ip -6 addr
ip -br addr
ip -br -4 addr
ip -o addr
ip -o -4 addr show lo
ip -o -6 addr show lo
ip -j addr show lo
ip -j -p addr show lo
ip -d addr show lo
ip -s addr show lo
ip a
ip l
ip address show up
ip link show up
ip route
ip -6 route
ip route show table local
ip -6 route show table local
ip -j route show table local
ifconfig
ifconfig lo
ifconfig -s
route -n
route -6 -n
ping -c 2 -i 0.2 127.0.0.1
ip -s link show lo
ifconfig lo
