# Seed 004 §2.2: a namespace, and the tap moved into it.
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
