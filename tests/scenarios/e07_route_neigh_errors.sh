# ip route / ip neigh / ip route get error cases not in e04: change and
# replace of what is not there, onlink misuse, bad table ids, neigh errors.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add 10.1.0.0/16 via 10.0.0.254
ip route change 10.2.0.0/16 via 10.0.0.254
ip route change 10.1.0.0/16 via 10.9.9.9
ip route append 10.1.0.0/16 via 10.0.0.254
ip route prepend 10.1.0.0/16 via 10.0.0.254
ip route add 10.3.0.0/16 via 10.9.9.9 onlink
ip route add 10.3.0.0/16 via 10.9.9.9 dev v1 onlink
ip route add 10.4.0.0/16 via 10.0.0.254 table 0
ip route add 10.4.0.0/16 via 10.0.0.254 table 4294967296
ip route add 10.4.0.0/16 via 10.0.0.254 table -1
ip route add 10.4.0.0/16 via
ip route add 10.4.0.0/16 dev
ip route add 10.4.0.0/16 via 10.0.0.254 metric
ip route add 10.4.0.0/16 via 10.0.0.254 metric 4294967296
ip route add 10.4.0.0/16 via 10.0.0.254 mtu abc
ip route add local 10.4.0.0/16 dev v0
ip route add 10.4.0.0/16 via 10.0.0.254 via 10.0.0.253
ip route add 10.4.0.0/16 via 127.0.0.1
ip route add 10.4.0.0/16 via 0.0.0.0 dev v0
ip route add 10.4.0.0/16 via 10.0.0.255
ip route add 224.0.0.0/4 via 10.0.0.254
ip route del
ip route del 10.1.0.0/16 table 5
ip route del 10.1.0.0/16 metric 7
ip route get
ip route get 10.0.0.2 from 10.9.9.9
ip route get 10.0.0.2 from nosuch
ip route get 10.0.0.2 iif nosuch
ip route get 10.0.0.2 bogus
ip route show bogus
ip route show table 99
ip route flush table 99
ip route
ip neigh add 10.0.0.5 dev v0
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05
ip neigh add lladdr 02:00:00:00:00:05 dev v0
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud bogus
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 bogus
ip neigh add bogus lladdr 02:00:00:00:00:05 dev v0
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:06 dev v0
ip neigh change 10.0.0.6 lladdr 02:00:00:00:00:06 dev v0
ip neigh del 10.0.0.6 dev v0
ip neigh del 10.0.0.5
ip neigh flush
ip neigh show nud bogus
ip neigh
arp -n
arp -s 10.0.0.7
arp -s 10.0.0.7 zz:zz
arp -d 10.0.0.8
arp -i nosuch -n
arp -s 10.9.9.9 02:00:00:00:00:09
arp -n
