# iptables: parameter problems of targets and matches not covered by i04
# (ranges, values out of range, missing options), their messages and exit
# codes; none of them changes the ruleset.
iptables -A INPUT -p tcp --dport 5:3
iptables -A INPUT -p tcp --sport 1:2:3
iptables -A INPUT -p udp --dport 0
iptables -A INPUT -p tcp -m multiport --dports 1:2:3
iptables -A INPUT -p tcp -m multiport --dports 80 --sports 90
iptables -A INPUT -m multiport -p tcp --dports 80
iptables -A INPUT -p icmp --icmp-type 3/300
iptables -A INPUT -p icmp --icmp-type 256
iptables -A INPUT -p tcp --icmp-type 8
iptables -A INPUT -m ttl --ttl-eq 5 --ttl-lt 3
iptables -A INPUT -m ttl
iptables -A INPUT -m limit --limit-burst 0
iptables -A INPUT -m limit --limit abc
iptables -A INPUT -m mark --mark 0x1/0xzz
iptables -A INPUT -m mark
iptables -A INPUT -m connmark
iptables -A INPUT -m pkttype
iptables -A INPUT -m mac
iptables -A INPUT -m state
iptables -A INPUT -m iprange
iptables -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.x
iptables -A INPUT -m addrtype
iptables -A INPUT -m conntrack --ctstatus FOO
iptables -A INPUT -m conntrack --ctdir FOO
iptables -A INPUT -m conntrack --ctproto foo
iptables -A INPUT -m conntrack --ctexpire 10:5
iptables -A INPUT -i abcdefghijklmnopq -j ACCEPT
iptables -A INPUT -j LOG --log-prefix 123456789012345678901234567890
iptables -A INPUT -j LOG --log-level 8
iptables -t mangle -A PREROUTING -j TTL --ttl-set 300
iptables -t mangle -A PREROUTING -j TTL
iptables -t mangle -A PREROUTING -j TTL --ttl-dec 0
iptables -t mangle -A PREROUTING -j TOS --set-tos foo
iptables -t mangle -A PREROUTING -j TOS
iptables -t mangle -A PREROUTING -j DSCP --set-dscp 64
iptables -t mangle -A PREROUTING -j DSCP --set-dscp-class XX
iptables -t mangle -A PREROUTING -j DSCP
iptables -t mangle -A PREROUTING -j CONNMARK
iptables -t mangle -A PREROUTING -j CONNMARK --set-mark x
iptables -t mangle -A PREROUTING -j MARK --set-mark 1 --or-mark 2
iptables -t raw -A PREROUTING -j CT --zone abc
iptables -t raw -A PREROUTING -j CT --notrack --zone 1
iptables -t nat -A PREROUTING -j NETMAP
iptables -t nat -A PREROUTING -j NETMAP --to 10.0.0.0/33
iptables -t nat -A PREROUTING -j REDIRECT --to-ports 80
iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports 90-80
iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports x
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80-70
iptables -t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4:80
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:70000
iptables -t nat -A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.9-1.2.3.4
iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 1000
iptables -t nat -A POSTROUTING -p udp -j SNAT --to-source 1.2.3.4:x
iptables -t nat -A POSTROUTING -p udp -j SNAT --to-source :1000
iptables -A INPUT -p tcp -j REJECT --reject-with tcp-reset extra
iptables -S
iptables -t nat -S
iptables -t mangle -S
iptables -t raw -S
