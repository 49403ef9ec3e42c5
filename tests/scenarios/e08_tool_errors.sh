# More error cases of ifconfig, route, brctl, tunctl, sysctl, ping and
# tcpdump: bad values, missing arguments, unknown options.
ip link add v0 type veth peer name v1
ifconfig v0 mtu
ifconfig v0 mtu abc
ifconfig v0 netmask
ifconfig v0 netmask bogus
ifconfig v0 broadcast
ifconfig v0 hw ether
ifconfig v0 hw ether zz
ifconfig v0 hw bogus 02:00:00:00:00:01
ifconfig v0 txqueuelen abc
ifconfig v0 add 10.0.0.1/33
ifconfig v0 del 10.0.0.9
ifconfig -z
route add
route add -net
route add -net 10.0.0.0
route add -net 10.0.0.0 netmask 255.0.0.0
route add -host 10.0.0.1 dev nosuch
route del -host 10.0.0.1
route add -net 10.0.0.0 netmask 255.0.0.0 metric abc dev v0
route -n bogus
route -A bogus
brctl addif
brctl delif br0
brctl setageing
brctl setageing nosuch 10
brctl stp nosuch on
brctl showstp
brctl addbr br0
brctl setfd br0 abc
brctl sethello br0 0
brctl setbridgeprio br0 abc
brctl setpathcost br0 v0 10
brctl setportprio br0 nosuch 1
brctl addbr abcdefghijklmnopq
brctl delbr br0
tunctl -t
tunctl -u
tunctl -u nosuchuser -t t0
tunctl -d tap9
sysctl
sysctl -w
sysctl -w =1
sysctl -w net.ipv4.ip_forward=2
sysctl net.ipv4.ip_forward
sysctl -p /nonexistent.conf
sysctl -z
ping -c 1 -s -1 127.0.0.1
ping -c 1 -i abc 127.0.0.1
ping -c 1 -w abc 127.0.0.1
ping -c 1 -M bogus 127.0.0.1
ping -c 1 -p zz 127.0.0.1
ping -c 1 -I 10.9.9.9 127.0.0.1
ping -c 1 127.0.0.1 127.0.0.2
ping -6 -c 1 127.0.0.1
tcpdump -c abc -i lo
tcpdump -i lo -c 1 -n 'tcp port abc'
tcpdump -i lo -c 1 -n 'host'
tcpdump -w
tcpdump -Z
