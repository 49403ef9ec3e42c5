# conntrack(8): its usage errors, -G/-U/-D on one entry, mark and zone
# filters, -o formats, -C and -S's exit codes. Entries come from pings
# with fixed ids through the host's INPUT (conntrack on by an INVALID rule).
conntrack
conntrack -X
conntrack -L -p foo
conntrack -L -s 1.2.3
conntrack -L --dport 80
conntrack -L -p tcp --state FOO
conntrack -L -o foo
conntrack -D -p icmp --icmp-id x
conntrack -G
conntrack -L -L
conntrack --version
ip netns add c
ip link add eth0 type veth peer name eth0 netns c
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
sleep 3
ip netns exec c ping -c 1 -e 700 10.0.0.2
ip netns exec c ping -c 1 -e 701 10.0.0.2
ip netns exec c ping -c 1 -e 702 10.0.0.2
conntrack -L
conntrack -G -p icmp -s 10.0.0.1 -d 10.0.0.2 --icmp-type 8 --icmp-code 0 --icmp-id 701
conntrack -G -p icmp -s 10.0.0.1 -d 10.0.0.2 --icmp-type 8 --icmp-code 0 --icmp-id 799
conntrack -U -p icmp -s 10.0.0.1 -d 10.0.0.2 --icmp-type 8 --icmp-code 0 --icmp-id 701 --mark 5
conntrack -L -m 5
conntrack -L --mark 5 -o extended
conntrack -U -p icmp --icmp-id 700 --mark 9
conntrack -L -m 9
conntrack -L -p icmp --icmp-id 702
conntrack -L -d 10.0.0.2 -p icmp -m 0
conntrack -L --zone 0 -p icmp --icmp-id 702
conntrack -L -f ipv4 -p icmp --icmp-id 702
conntrack -L -f ipv6
conntrack -D -p icmp -s 10.0.0.1 -d 10.0.0.2 --icmp-type 8 --icmp-code 0 --icmp-id 700
conntrack -C
conntrack -D -m 5
conntrack -L
conntrack -D -m 5
conntrack -F
conntrack -F
conntrack -C
conntrack -L
