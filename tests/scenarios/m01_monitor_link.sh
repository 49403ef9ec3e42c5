# area: monitors
# `ip monitor link` in the background while a veth pair is made, brought
# up end by end, changed, moved to a namespace and deleted: which
# RTM_NEWLINK/DELLINK messages the kernel sends, in which order, and what
# each carries (flags, operstate, the peer as @NONE while unregistered,
# M-DOWN, link-netnsid, qdisc noop once deleted). A second monitor with
# `label` prints [LINK] before each message.
ip monitor link >link.txt 2>&1 &
ip monitor link label >label.txt 2>&1 &
sleep 0.5
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
sleep 0.2
ip link set v0 up
sleep 0.2
ip link set v1 up
sleep 1.5
ip link set v0 mtu 1400
ip link set v0 down
sleep 1.5
ip link set v0 up
sleep 1.5
ip link set v1 name peer1
ip link set peer1 alias uplink
ip netns add red
ip link set peer1 netns red
sleep 1.5
ip -n red link set peer1 up
sleep 1.5
ip link del v0
sleep 0.5
kill %1 %2
wait
cat link.txt
cat label.txt
ip monitor bogus
ip monitor help
