ip link add br1 type bridge
brctl stp br1 on
brctl setbridgeprio br1 4096
brctl setfd br1 4
brctl sethello br1 3
brctl setmaxage br1 12
brctl setageing br1 60
ip tuntap add tap0 mode tap
ip tuntap add tun0 mode tun
ip link set tap0 master br1
ip link set dev tap0 up
ip link set br1 up
ip link set tun0 mtu 1400 txqueuelen 20
bridge link set dev tap0 cost 7 priority 5 hairpin on learning off
ip link set tap0 address 02:11:22:33:44:55
ip link add v5 type veth peer name v6
ip link set v6 master br1
ip link set v5 up
ip link set v6 up
sleep 3
