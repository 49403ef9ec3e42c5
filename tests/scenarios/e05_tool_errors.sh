# Error cases of the other tools: brctl, ping, ifconfig, tcpdump, sysctl.
ip link add v0 type veth peer name v1
brctl addbr br0
brctl addif br0 nosuch
brctl addif nosuch v0
brctl delif br0 v0
brctl delbr nosuch
brctl addbr br0
brctl showmacs nosuch
ping -c 1 nosuchhost
ping -c 1 10.0.0.1
ping -c 1 -I nosuch 127.0.0.1
ping -c 1 -s 70000 127.0.0.1
ping -c 1 -t 256 127.0.0.1
ping -c 1 -t 0 127.0.0.1
ping -c 1 -i 0.001 127.0.0.1
ping -c 1 -W -1 127.0.0.1
ping -c abc 127.0.0.1
ifconfig nosuch
ifconfig nosuch 10.0.0.1
ifconfig v0 nosuchoption
tunctl -d
sysctl -w net.ipv4.nosuch=1
sysctl nosuch
modinfo nosuchmodule
tcpdump -r /nonexistent.pcap
tcpdump -i nosuch
