# Seed section 2.1 (tap): the tun module, tunctl, a tap device and its address.
modinfo tun
lsmod | grep tun
modprobe tun
tunctl help
tunctl -t tap_test
ip link list
ifconfig -a
ip addr add local 192.168.100.1/24 dev tap_test
ifconfig tap_test 192.168.100.1/24
ifconfig -a
ip addr
ip -br link
ip -br addr
ip route
route -n
ip tuntap list
