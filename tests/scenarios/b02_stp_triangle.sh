# Spanning tree: three bridges in three namespaces joined by veth pairs in a
# triangle. With stp_state 1 (small forward_delay/hello_time to keep it short)
# they elect the lowest bridge id as root and block exactly one port; the
# states go listening, learning, forwarding/blocking. Then a link fails and
# the blocked port takes over. BPDUs as tcpdump prints them.
for n in 1 2 3; do ip netns add s$n; ip -n s$n link add br0 address 02:00:00:00:07:0$n type bridge forward_delay 200 hello_time 100 max_age 600 stp_state 1; done
ip link add a12 netns s1 address 02:00:00:00:07:12 type veth peer name a21 netns s2 address 02:00:00:00:07:21
ip link add a23 netns s2 address 02:00:00:00:07:23 type veth peer name a32 netns s3 address 02:00:00:00:07:32
ip link add a31 netns s3 address 02:00:00:00:07:31 type veth peer name a13 netns s1 address 02:00:00:00:07:13
for n in 1 2 3; do for p in $(ip -n s$n -br link | grep -o '^a[0-9]*'); do ip -n s$n link set $p master br0; ip netns exec s$n sysctl -qw net.ipv6.conf.$p.disable_ipv6=1; done; ip netns exec s$n sysctl -qw net.ipv6.conf.br0.disable_ipv6=1; done
ip netns exec s3 brctl setbridgeprio br0 4096
for n in 1 2 3; do ip -n s$n link set br0 up; for p in $(ip -n s$n -br link | grep -o '^a[0-9]*'); do ip -n s$n link set $p up; done; done
sleep 1
for n in 1 2 3; do ip netns exec s$n bridge link; done
ip netns exec s1 tcpdump -n -i a12 -c 1 stp 2>&1
sleep 3
for n in 1 2 3; do ip netns exec s$n bridge link; done
sleep 3
for n in 1 2 3; do ip netns exec s$n bridge link; done
ip netns exec s1 brctl showstp br0 | grep -E '^[a-z]|bridge id|designated root|root port|port id|designated bridge|designated port|designated cost'
ip netns exec s2 brctl showstp br0 | grep -E '^[a-z]|bridge id|designated root|root port|port id|designated bridge|designated port|designated cost'
ip netns exec s3 brctl showstp br0 | grep -E '^[a-z]|bridge id|designated root|root port|port id|designated bridge|designated port|designated cost'
ip -n s2 -d link show br0 | grep -o 'bridge_id [^ ]* designated_root [^ ]* root_port [0-9]* root_path_cost [0-9]*'
ip -n s1 -d link show a12 | grep -o 'bridge_slave state [a-z]* .*designated_cost [0-9]*'
ip netns exec s1 tcpdump -n -i a13 -c 1 stp 2>&1
ip netns exec s1 tcpdump -n -i a12 -c 1 stp 2>&1
cat /sys/class/net/br0/bridge/root_id 2>/dev/null
ip netns exec s1 cat /sys/class/net/br0/bridge/root_id /sys/class/net/br0/bridge/root_port /sys/class/net/br0/bridge/root_path_cost
ip -n s3 link set a31 down
sleep 1
for n in 1 2 3; do ip netns exec s$n bridge link; done
sleep 5
for n in 1 2 3; do ip netns exec s$n bridge link; done
ip netns exec s2 brctl showstp br0 | grep -E 'designated root|root port'
ip netns exec s1 brctl showstp br0 | grep -E 'designated root|root port'
