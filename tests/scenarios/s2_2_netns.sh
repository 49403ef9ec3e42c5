# Seed section 2.2 (namespace): ip netns, moving a tap into a namespace.
tunctl -t tap_test
ip netns help
ip netns list
ip netns add ns_test
ip netns list
ip link set tap_test netns ns_test
ip link list
ip netns exec ns_test ip link list
ip netns exec ns_test ifconfig -a
ip netns exec ns_test ifconfig tap_test 192.168.50.1/24 up
ip netns exec ns_test ifconfig -a
ip netns exec ns_test ip addr
ip netns exec ns_test ip route
ip netns exec ns_test route -n
ip netns exec ns_test ip -br link
ip netns exec ns_test ip -br addr
ip netns list
