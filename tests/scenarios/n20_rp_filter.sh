# rp_filter on a multi-homed host with asymmetric routing: h1 reaches h2
# through r1, h2 answers through r2, so the reply arrives on h1's other
# interface. Strict mode (1) drops it (IPReversePathFilter counts it,
# log_martians logs it), loose mode (2) takes it.
ip netns add h1
ip netns add h2
ip netns add r1
ip netns add r2
ip link add a1 netns h1 type veth peer name r1a netns r1
ip link add a2 netns h1 type veth peer name r2a netns r2
ip link add b1 netns h2 type veth peer name r1b netns r1
ip link add b2 netns h2 type veth peer name r2b netns r2
ip -n h1 addr add 10.0.1.2/24 dev a1
ip -n h1 addr add 10.0.3.2/24 dev a2
ip -n h2 addr add 10.0.2.2/24 dev b1
ip -n h2 addr add 10.0.4.2/24 dev b2
ip -n r1 addr add 10.0.1.1/24 dev r1a
ip -n r1 addr add 10.0.2.1/24 dev r1b
ip -n r2 addr add 10.0.3.1/24 dev r2a
ip -n r2 addr add 10.0.4.1/24 dev r2b
for n in h1 h2 r1 r2; do
  for d in $(ip -n $n -o link show | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip -n $n link set $d up
  done
done
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
ip -n h1 route add 10.0.2.0/24 via 10.0.1.1
ip -n h2 route add 10.0.1.0/24 via 10.0.4.1
ip -n r2 route add 10.0.1.0/24 via 10.0.3.2
ip netns exec h1 sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.default.rp_filter net.ipv4.conf.a2.rp_filter
# Strict mode: the reply from 10.0.2.2 comes in on a2, the way back is a1.
ip netns exec h1 sysctl -w net.ipv4.conf.all.rp_filter=1
ip netns exec h1 sysctl -w net.ipv4.conf.all.log_martians=1
ip netns exec h1 ping -c 2 -i 0.2 -W 1 10.0.2.2
echo "ping exit $?"
ip netns exec h1 awk '$1 == "TcpExt:" { if (!h) { for (i = 2; i <= NF; i++) n[i] = $i; h = 1 } else for (i = 2; i <= NF; i++) if (n[i] == "IPReversePathFilter") print n[i], $i }' /proc/net/netstat
dmesg | grep 'martian source 10.0.1.2 from 10.0.2.2, on dev a2' | tail -1 | sed 's/^\[[^]]*\] //'
dmesg | grep -A1 'martian source 10.0.1.2 from 10.0.2.2, on dev a2' | tail -1 | sed 's/^\[[^]]*\] //' | cut -c1-20
# The device's own knob counts too: the larger of all and the device wins.
ip netns exec h1 sysctl -w net.ipv4.conf.all.rp_filter=0
ip netns exec h1 sysctl -w net.ipv4.conf.a2.rp_filter=1
ip netns exec h1 ping -c 1 -W 1 10.0.2.2 | tail -2 | head -1
# Loose mode: any route back will do.
ip netns exec h1 sysctl -w net.ipv4.conf.all.rp_filter=2
ip netns exec h1 ping -c 2 -i 0.2 -W 1 10.0.2.2 | tail -2 | head -1
echo "ping exit ${PIPESTATUS[0]}"
ip netns exec h1 awk '$1 == "TcpExt:" { if (!h) { for (i = 2; i <= NF; i++) n[i] = $i; h = 1 } else for (i = 2; i <= NF; i++) if (n[i] == "IPReversePathFilter") print n[i], $i }' /proc/net/netstat
# Off again; then the other way round (out by a2, back on a1): loose takes it.
ip netns exec h1 sysctl -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.a2.rp_filter=0
ip netns exec h1 ping -c 1 -W 1 10.0.2.2 | tail -2 | head -1
ip -n h1 route del 10.0.2.0/24
ip -n h1 route add 10.0.2.0/24 via 10.0.3.1
ip -n r2 route add 10.0.2.0/24 via 10.0.4.2
ip -n h2 route add 10.0.3.0/24 via 10.0.2.1
ip -n r1 route add 10.0.3.0/24 via 10.0.1.2
ip netns exec h1 sysctl -w net.ipv4.conf.all.rp_filter=2
ip netns exec h1 ping -c 1 -W 1 10.0.2.2 | tail -2 | head -1
