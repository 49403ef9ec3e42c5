# net-tools route: listings and add/del of net, host, default routes.
ip link add v0 type veth peer name v1
ip addr add 192.168.1.10/24 dev v0
ip addr add 192.168.1.11/24 dev v1
ip link set v0 up
ip link set v1 up
route
route -n
route -nee
route -e
route add -net 10.0.0.0 netmask 255.0.0.0 gw 192.168.1.1
route add -net 10.1.0.0/16 gw 192.168.1.2 metric 5
route add -host 172.16.0.1 gw 192.168.1.3
route add -net 172.17.0.0 netmask 255.255.0.0 dev v1
route add default gw 192.168.1.1
route add -net 172.18.0.0 netmask 255.255.0.0 reject
route -n
route -nee
ip route
route del -net 10.1.0.0/16 gw 192.168.1.2 metric 5
route del -host 172.16.0.1
route del default
route del -net 172.18.0.0 netmask 255.255.0.0 reject
route -n
route add default gw 192.168.1.1 v0
route -n
route del default gw 192.168.1.1
route del default
route del -net 10.9.0.0 netmask 255.255.0.0
route add -net 10.5.0.0 netmask 255.255.0.0 gw 10.99.0.1
route add -net 10.5.0.1 netmask 255.255.0.0 gw 192.168.1.1
route add -net 10.6.0.0 netmask 255.255.0.0 dev nosuch
route add default gw 300.1.1.1
route add -net 10.7.0.0 netmask 255.0.255.0 gw 192.168.1.1
route add -net 10.0.0.0 netmask 255.0.0.0 gw 192.168.1.1
route -n
route -A inet6 -n
route --help
route bogus
