# area: realistic
# The Arch wiki's "Simple stateful firewall", applied in a namespace and
# probed from a neighbour: TCP and UDP chains, ICMP echo accepted, the
# rest rejected the way the wiki asks.
ip netns add fw
ip netns add client
ip link add c0 type veth peer name f0
ip link set c0 netns client
ip link set f0 netns fw
ip -n client addr add 10.9.0.2/24 dev c0
ip -n fw addr add 10.9.0.1/24 dev f0
ip -n client link set c0 up
ip -n fw link set f0 up
ip -n fw link set lo up
ip -n client link set lo up
fw() { ip netns exec fw iptables "$@"; }
fw -N TCP
fw -N UDP
fw -P FORWARD DROP
fw -P OUTPUT ACCEPT
fw -P INPUT DROP
fw -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
fw -A INPUT -i lo -j ACCEPT
fw -A INPUT -m conntrack --ctstate INVALID -j DROP
fw -A INPUT -p icmp --icmp-type 8 -m conntrack --ctstate NEW -j ACCEPT
fw -A INPUT -p udp -m conntrack --ctstate NEW -j UDP
fw -A INPUT -p tcp --syn -m conntrack --ctstate NEW -j TCP
fw -A INPUT -p udp -j REJECT --reject-with icmp-port-unreachable
fw -A INPUT -p tcp -j REJECT --reject-with tcp-reset
fw -A INPUT -j REJECT --reject-with icmp-proto-unreachable
fw -A TCP -p tcp --dport 22 -j ACCEPT
sleep 3
ip netns exec client ping -c 2 10.9.0.1 | grep -E '^(2 packets|64 bytes)' | cut -d' ' -f1-5
ip netns exec fw nc -l -p 22 > got.txt &
sleep 1
echo hello | ip netns exec client nc -q 1 10.9.0.1 22
wait
cat got.txt
ip netns exec client nc -z -w 1 10.9.0.1 80; echo "tcp/80 exit $?"
ip netns exec client nc -u -z -w 1 10.9.0.1 53; echo "udp/53 exit $?"
fw -L INPUT -n -v --line-numbers | awk 'NR > 2 { print $1, $2, $4 }'
fw -S | grep -c '^-A'
