# area: realistic
# Firewall rules loaded the way deployment scripts load them: a here-doc
# into iptables-restore, a cleanup trap, a case on the namespace's role,
# and the result read back with iptables-save and grep.
cleanup() { echo "cleanup ran"; }
trap cleanup EXIT
ip netns add gw
ip netns add lan
ip link add lan0 type veth peer name gw0
ip link set lan0 netns lan
ip link set gw0 netns gw
ip -n lan addr add 192.168.50.10/24 dev lan0
ip -n gw addr add 192.168.50.1/24 dev gw0
ip -n lan link set lan0 up
ip -n gw link set gw0 up
ip netns exec gw iptables-restore <<'RULES'
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -p icmp -j ACCEPT
-A INPUT -p tcp --dport 22 -s 192.168.50.0/24 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 192.168.50.0/24 -j MASQUERADE
COMMIT
RULES
echo "restore exit $?"
for ns in gw lan; do
    case $ns in
        gw) role=router ;;
        lan*) role=client ;;
        *) role=unknown ;;
    esac
    n=$(ip netns exec $ns iptables-save | grep -c '^-A' || true)
    echo "$ns ($role): $n rules"
done
ip netns exec gw iptables-save | grep -E '^(\*|:|-A)' | sed 's/ \[[0-9:]*\]$//'
sleep 3
ip netns exec lan ping -c 1 -W 1 192.168.50.1 > /dev/null; echo "ping exit $?"
ip netns exec gw iptables -L INPUT -v -n | awk '$1 > 0 && NR > 2 {print $3, $4, $1}'
cat <<EOF | ip netns exec gw iptables-restore --noflush
*filter
-A INPUT -p udp --dport 53 -j ACCEPT
COMMIT
EOF
ip netns exec gw iptables -S INPUT | tail -1
ip netns exec gw iptables-restore <<'BAD'
*filter
-A NOSUCH -j ACCEPT
COMMIT
BAD
echo "bad restore exit $?"
