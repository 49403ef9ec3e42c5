# tunctl: create, brief mode, owner, delete; the tap devices it makes.
tunctl help
tunctl -t tap0
tunctl -b -t tap1
tunctl
tunctl -u 4242 -t tap3
tunctl -g 4343 -t tap4
ip tuntap list
ip tuntap show
ip link
ip -br link
ip -d link show tap0
ip -d link show tap3
ifconfig tap0
ip link set tap0 up
ip link show tap0
ip -br link show tap0
ip addr add 192.168.10.1/24 dev tap0
ip addr show tap0
ip -br addr show tap0
ip route
ip -j link show tap0
ifconfig tap0
tunctl -d tap1
tunctl -d tap0
ip link
ip tuntap list
