# More match extensions against traffic, as firewall guides use them:
# length (drop oversized pings), tos and dscp (QoS marking), statistic
# (every Nth packet), tcpmss, and the DSCP/TOS targets; with their
# listings (-L, -L -n, -S, save) and their usage errors.
ip netns add c
ip link add eth0 type veth peer name eth0 netns c
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
sleep 3
iptables -A INPUT -p icmp -m length --length 0:100
iptables -A INPUT -p icmp -m length --length 1000:
iptables -A INPUT -p icmp -m length ! --length 84
iptables -A INPUT -p icmp -m length --length 284
iptables -A INPUT -m tos --tos 0x10
iptables -A INPUT -m tos --tos Minimize-Delay
iptables -A INPUT -m tos ! --tos 0x00/0x3f
iptables -A INPUT -m tos --tos Normal-Service
iptables -A INPUT -m dscp --dscp 0x2e
iptables -A INPUT -m dscp --dscp-class EF
iptables -A INPUT -m dscp ! --dscp 0
iptables -A INPUT -p icmp -m statistic --mode nth --every 3
iptables -A INPUT -p icmp -m statistic --mode nth --every 3 --packet 2
iptables -A INPUT -p icmp -m statistic ! --mode nth --every 2
iptables -A INPUT -p icmp -m statistic --mode random --probability 0.5
iptables -A INPUT -p icmp -m statistic --mode random --probability 0
iptables -A INPUT -p icmp -m statistic --mode random --probability 1
iptables -A INPUT -p tcp -m tcpmss --mss 1400:1500
iptables -A INPUT -p tcp -m tcpmss ! --mss 536
ip netns exec c ping -c 6 -i 0.2 -q 10.0.0.2
ip netns exec c ping -c 2 -i 0.2 -q -s 1200 10.0.0.2
ip netns exec c ping -c 2 -i 0.2 -q -s 256 10.0.0.2
ip netns exec c ping -c 2 -i 0.2 -q -Q 0x10 10.0.0.2
ip netns exec c ping -c 2 -i 0.2 -q -Q 0xb8 10.0.0.2
iptables -L INPUT -v -x | grep -v random
iptables -L INPUT -n
iptables -S INPUT
iptables -t mangle -A OUTPUT -p icmp -j DSCP --set-dscp 0x0a
iptables -t mangle -A OUTPUT -p icmp -j DSCP --set-dscp-class AF41
iptables -t mangle -A POSTROUTING -p icmp -j TOS --set-tos 0x10
iptables -t mangle -A POSTROUTING -p icmp -j TOS --set-tos Minimize-Cost
iptables -t mangle -A POSTROUTING -p icmp -j TOS --and-tos 0x0f
iptables -t mangle -A POSTROUTING -p icmp -j TOS --or-tos 0x02
iptables -t mangle -A POSTROUTING -p icmp -j TOS --xor-tos 0x04
iptables -t mangle -L -n
iptables -t mangle -S
iptables-save -t mangle | grep -v '^#'
iptables -A INPUT -m length
iptables -A INPUT -m length --length 10:5
iptables -A INPUT -m length --length 70000
iptables -A INPUT -m length --length x
iptables -A INPUT -m tos --tos 0x100
iptables -A INPUT -m tos --tos Bogus
iptables -A INPUT -m tos
iptables -A INPUT -m dscp --dscp 64
iptables -A INPUT -m dscp --dscp-class XX
iptables -A INPUT -m dscp --dscp 1 --dscp-class EF
iptables -A INPUT -m dscp
iptables -A INPUT -m statistic --mode nth
iptables -A INPUT -m statistic --mode nth --every 0
iptables -A INPUT -m statistic --mode nth --every 3 --packet 3
iptables -A INPUT -m statistic --mode random --probability 2
iptables -A INPUT -m statistic --mode random --every 2
iptables -A INPUT -m statistic --mode foo
iptables -A INPUT -m statistic
iptables -A INPUT -m tcpmss --mss 100
iptables -A INPUT -p tcp -m tcpmss
iptables -t mangle -A OUTPUT -j DSCP --set-dscp 64
iptables -t mangle -A OUTPUT -j DSCP
iptables -t mangle -A OUTPUT -j TOS
iptables -A INPUT -j DSCP --set-dscp 1
iptables -F INPUT
iptables -A INPUT -m statistic --mode random --probability 0.1
iptables -A INPUT -m statistic --mode random --probability 0.333333
iptables -A INPUT -m statistic --mode random ! --probability 0.25
iptables -A INPUT -m statistic --mode nth ! --every 2 --packet 1
iptables -A INPUT -m statistic --mode nth --every 4 --packet 0
iptables -A INPUT -m statistic --mode nth --every 2 --packet 0 --probability 0.5
iptables -A INPUT -m statistic --mode random --probability 0.5 --packet 1
iptables -A INPUT -m length --length :500
iptables -A INPUT -m length --length 0x10:0100
iptables -A INPUT -m dscp --dscp-class af41
iptables -A INPUT -m tos --tos 0x08/0x0c
iptables -A INPUT -m tos --tos maximize-throughput
iptables -L INPUT
iptables -S INPUT
ping -c 1 -Q 300 127.0.0.1
ping -c 1 -Q x 127.0.0.1
