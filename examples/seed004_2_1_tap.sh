# Seed 004 §2.1: a tap device.
modinfo tun
lsmod | grep tun
modprobe tun
tunctl help
tunctl -t tap_test
ip link list
ifconfig -a
ip addr add local 192.168.100.1/24 dev tap_test
ifconfig -a
