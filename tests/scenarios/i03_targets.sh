# iptables: targets and their options in -L, -S and iptables-save.
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset
iptables -A INPUT -j REJECT
iptables -A INPUT -j REJECT --reject-with icmp-net-unreachable
iptables -A INPUT -j REJECT --reject-with icmp-host-unreachable
iptables -A INPUT -j REJECT --reject-with icmp-proto-unreachable
iptables -A INPUT -j REJECT --reject-with icmp-net-prohibited
iptables -A INPUT -j REJECT --reject-with icmp-host-prohibited
iptables -A INPUT -j REJECT --reject-with icmp-admin-prohibited
iptables -A INPUT -j REJECT --reject-with net-unreach
iptables -A INPUT -j REJECT --reject-with host-unreach
iptables -A INPUT -j REJECT --reject-with port-unreach
iptables -A INPUT -j REJECT --reject-with proto-unreach
iptables -A INPUT -j REJECT --reject-with net-prohib
iptables -A INPUT -j REJECT --reject-with host-prohib
iptables -A INPUT -j REJECT --reject-with admin-prohib
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-rst
iptables -A INPUT -j LOG
iptables -A INPUT -j LOG --log-prefix "IN: " --log-level 4
iptables -A INPUT -j LOG --log-level debug --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid
iptables -A INPUT -j LOG --log-level alert
iptables -A INPUT -j LOG --log-level 0 --log-prefix x
iptables -L -n
iptables -S
iptables -F
iptables -t mangle -A PREROUTING -j MARK --set-mark 1
iptables -t mangle -A PREROUTING -j MARK --set-mark 0x10/0xff
iptables -t mangle -A PREROUTING -j MARK --set-xmark 0x3/0xf
iptables -t mangle -A PREROUTING -j MARK --and-mark 0xf0
iptables -t mangle -A PREROUTING -j MARK --or-mark 0x4
iptables -t mangle -A PREROUTING -j MARK --xor-mark 0x8
iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 7
iptables -t mangle -A PREROUTING -j CONNMARK --set-xmark 0x7/0xff
iptables -t mangle -A PREROUTING -j CONNMARK --save-mark
iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark
iptables -t mangle -A PREROUTING -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xf
iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark --mask 0xff
iptables -t mangle -A PREROUTING -j TTL --ttl-set 64
iptables -t mangle -A PREROUTING -j TTL --ttl-inc 1
iptables -t mangle -A PREROUTING -j TTL --ttl-dec 2
iptables -t mangle -A PREROUTING -j TOS --set-tos 0x10
iptables -t mangle -A PREROUTING -j TOS --set-tos 0x08/0xff
iptables -t mangle -A PREROUTING -j DSCP --set-dscp 10
iptables -t mangle -A PREROUTING -j DSCP --set-dscp-class EF
iptables -t mangle -A PREROUTING -j TRACE
iptables -t mangle -L -n
iptables -t mangle -S
iptables -t nat -A POSTROUTING -s 192.168.45.0/24 -o eth0 -j MASQUERADE
iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000-2000
iptables -t nat -A POSTROUTING -j MASQUERADE --random
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4-1.2.3.9
iptables -t nat -A POSTROUTING -p udp -j SNAT --to-source 1.2.3.4:1000-2000 --random
iptables -t nat -A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4-1.2.3.5:80 --random-fully --persistent
iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080
iptables -t nat -A PREROUTING -j DNAT --to-destination 10.0.0.2
iptables -t nat -A OUTPUT -p tcp -j DNAT --to 10.0.0.3-10.0.0.4:1-2
iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 3128
iptables -t nat -A PREROUTING -p tcp -j REDIRECT
iptables -t nat -A PREROUTING -j NETMAP --to 10.5.0.0/16
iptables -t nat -L -n
iptables -t nat -L
iptables -t nat -S
iptables -t raw -A PREROUTING -j CT --notrack
iptables -t raw -A PREROUTING -j NOTRACK
iptables -t raw -A OUTPUT -j CT --zone 5
iptables -t raw -A OUTPUT -j TRACE
iptables -t raw -L -n
iptables -t raw -S
iptables-save
