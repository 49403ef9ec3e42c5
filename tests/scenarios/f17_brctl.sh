# brctl: usage, addbr/delbr/addif/delif, show/showmacs/showstp, ageing, stp.
brctl
brctl show
brctl addbr br0
brctl addbr br1
brctl show
brctl show br0
ip link add v0 address 02:00:00:00:00:a0 type veth peer name v0p address 02:00:00:00:00:a1
ip link add v1 address 02:00:00:00:00:b0 type veth peer name v1p address 02:00:00:00:00:b1
brctl addif br0 v0
brctl addif br0 v1
brctl show
brctl show br0
brctl showmacs br0
brctl showstp br0
ip link show br0
brctl setageing br0 100
brctl setfd br0 4
brctl sethello br0 3
brctl setmaxage br0 30
brctl setbridgeprio br0 1000
brctl setpathcost br0 v0 50
brctl setportprio br0 v0 10
brctl showstp br0
ip -d link show br0
brctl stp br0 on
brctl show
brctl showstp br0
brctl stp br0 off
brctl show
ip link set br0 up
ip link set v0 up
ip link set v1 up
ip link set v0p up
ip link set v1p up
sleep 3
brctl showmacs br0
brctl delif br0 v1
brctl show
brctl delif br0 v1
brctl delbr br0
ip link set br0 down
brctl delbr br0
brctl delbr br1
brctl show
brctl delbr br1
brctl addbr br0
brctl addbr br0
brctl addif br0 nosuch
brctl addif nosuch v0
brctl addif br0 v0
brctl addif br0 v0
brctl addif br0 lo
brctl delif br0 v1
brctl showmacs nosuch
brctl showstp nosuch
brctl show nosuch
brctl stp br0 maybe
brctl setageing br0 abc
brctl bogus
brctl addbr
