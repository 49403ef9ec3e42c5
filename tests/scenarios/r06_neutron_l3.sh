# area: realistic
# The Neutron L3 agent's router by hand: a qrouter namespace with a qr-
# port on the tenant net and a qg- port on the external net, SNAT for the
# tenant subnet and a floating IP (DNAT + SNAT), checked with conntrack.
ROUTER=qrouter-5a2f9c1e
ip netns add $ROUTER
ip netns add tenant-vm
ip netns add external
ip link add qr-1a2b type veth peer name tap-vm
ip link add qg-3c4d type veth peer name ext-gw
ip link set qr-1a2b netns $ROUTER
ip link set qg-3c4d netns $ROUTER
ip link set tap-vm netns tenant-vm
ip link set ext-gw netns external
in_router() { ip netns exec $ROUTER "$@"; }
in_router ip addr add 10.0.0.1/24 dev qr-1a2b
in_router ip addr add 172.24.4.10/24 dev qg-3c4d
in_router ip addr add 172.24.4.20/32 dev qg-3c4d
in_router ip link set qr-1a2b up
in_router ip link set qg-3c4d up
in_router ip link set lo up
in_router ip route add default via 172.24.4.1
ip -n tenant-vm addr add 10.0.0.5/24 dev tap-vm
ip -n tenant-vm link set tap-vm up
ip -n tenant-vm route add default via 10.0.0.1
ip -n external addr add 172.24.4.1/24 dev ext-gw
ip -n external link set ext-gw up
in_router sysctl -qw net.ipv4.ip_forward=1
in_router iptables -t nat -N neutron-l3-agent-snat
in_router iptables -t nat -N neutron-l3-agent-float-snat
in_router iptables -t nat -A POSTROUTING -j neutron-l3-agent-snat
in_router iptables -t nat -A neutron-l3-agent-snat -j neutron-l3-agent-float-snat
in_router iptables -t nat -A neutron-l3-agent-snat -o qg-3c4d -s 10.0.0.0/24 -j SNAT --to-source 172.24.4.10
in_router iptables -t nat -A PREROUTING -d 172.24.4.20/32 -j DNAT --to-destination 10.0.0.5
in_router iptables -t nat -I neutron-l3-agent-float-snat -s 10.0.0.5/32 -j SNAT --to-source 172.24.4.20
in_router iptables -t nat -S | grep -- '-A'
sleep 3
ip netns exec tenant-vm ping -c 1 -e 2001 172.24.4.1 | grep -o 'ttl=[0-9]*'
ip netns exec external ping -c 1 -e 2002 172.24.4.20 | grep -o 'ttl=[0-9]*'
in_router conntrack -L -p icmp 2>/dev/null | sort | sed 's/ \+/ /g'
in_router conntrack -L 2>&1 >/dev/null
in_router iptables -t nat -L neutron-l3-agent-float-snat -n -v | awk 'NR > 2 {print $1, $3, $NF}'
