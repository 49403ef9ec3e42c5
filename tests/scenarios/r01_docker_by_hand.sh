# area: realistic
# Docker's default bridge network built by hand, as "Docker networking
# from scratch" guides do it: a docker0 bridge, one veth per container
# namespace, MASQUERADE for the subnet and a published port (DNAT), the
# rules checked with iptables-save | grep -v '^#'.

BR=docker0
SUBNET=172.17.0.0/16
ip link add name $BR type bridge
ip addr add 172.17.0.1/16 dev $BR
ip link set $BR up
create_container() {
    local name=$1 ip=$2
    ip netns add "$name"
    ip link add "veth-$name" type veth peer name eth0 netns "$name"
    ip link set "veth-$name" master $BR
    ip link set "veth-$name" up
    ip -n "$name" addr add "$ip/16" dev eth0
    ip -n "$name" link set eth0 up
    ip -n "$name" link set lo up
    ip -n "$name" route add default via 172.17.0.1
    echo "container $name at $ip"
}
create_container web 172.17.0.2
create_container db 172.17.0.3
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -N DOCKER
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A POSTROUTING -s $SUBNET ! -o $BR -j MASQUERADE
iptables -t nat -A DOCKER -i $BR -j RETURN
iptables -t nat -A DOCKER ! -i $BR -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
iptables-save -t nat | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]/[0:0]/'
sleep 3
for c in web db; do
    ip netns exec $c ping -c 1 -W 1 172.17.0.1 | grep -c 'bytes from'
done
ip netns exec web ping -c 2 172.17.0.3 | tail -2 | head -1 | cut -d, -f1-3
bridge link show | awk '{print $2, $NF}' | sort
ip -br link show master $BR | awk '{print $1, $2}' | sort
ls /sys/class/net/$BR/brif | sort
cat /sys/class/net/$BR/bridge/stp_state
