# The same prefix with several metrics and gateways: which one ip route get
# picks, which one del removes; replace/change/append/prepend; onlink.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.1.1/24 dev v1
ip link set v0 up
ip link set v1 up
sleep 3
ip route add 10.9.0.0/16 via 10.0.0.254 metric 100
ip route add 10.9.0.0/16 via 10.0.1.254 metric 50
ip route add 10.9.0.0/16 via 10.0.0.253 metric 200
ip route
ip route get 10.9.1.1
ip route show 10.9.0.0/16
ip route del 10.9.0.0/16
ip route
ip route get 10.9.1.1
ip route del 10.9.0.0/16 metric 200
ip route
ip route add 10.8.0.0/16 via 10.0.0.254
ip route append 10.8.0.0/16 via 10.0.1.254
ip route prepend 10.8.0.0/16 via 10.0.0.252
ip route
ip route get 10.8.0.1
ip route replace 10.8.0.0/16 via 10.0.1.253
ip route
ip route change 10.8.0.0/16 via 10.0.0.251
ip route
ip route change 10.8.0.0/16 via 10.0.0.251 metric 7
ip route replace 10.8.0.0/16 via 10.0.0.250 metric 7
ip route
ip route add 10.7.0.0/16 via 192.168.99.1 dev v0
ip route add 10.7.0.0/16 via 192.168.99.1 dev v0 onlink
ip route
ip route get 10.7.0.1
ip route add 10.6.0.0/16 via 192.168.99.1 onlink
ip route add 10.6.0.0/16 via 10.0.0.254 dev v1
ip route add 10.5.0.0/16 dev v0 metric 10
ip route add 10.5.0.0/16 dev v1 metric 10
ip route add 10.5.0.0/16 dev v1 metric 20
ip route
ip route del 10.5.0.0/16 dev v1
ip route show 10.5.0.0/16
ip route add 10.4.0.0/16 via 10.0.0.254 table 10
ip route add 10.4.0.0/16 via 10.0.1.254 table 20
ip route add default via 10.0.0.254 table 10 metric 5
ip route show table 10
ip route show table 20
ip route list table all 10.4.0.0/16
ip route get 10.4.0.1
route -n
route -n -e
