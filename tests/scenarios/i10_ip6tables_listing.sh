# ip6tables: the IPv6 tables are their own; -L/-S/-v/-x/--line-numbers forms of addresses, icmpv6 types, REJECT types and shared matches.
ip6tables -L
ip6tables-save
ip6tables -A INPUT -p tcp --dport 22 -j ACCEPT
ip6tables -A INPUT -s 2001:db8::/32 -d ::1 -j DROP
ip6tables -A INPUT ! -s 2001:db8:1::1 -i eth0 -p icmpv6 --icmpv6-type echo-request -j ACCEPT
ip6tables -A INPUT -p ipv6-icmp --icmpv6-type 1/3 -j ACCEPT
ip6tables -A INPUT -p icmpv6 --icmpv6-type 135 -j ACCEPT
ip6tables -A INPUT -p icmpv6 --icmpv6-type ping -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type NEIGHBOR-SOL -j DROP
ip6tables -A INPUT -p icmpv6 ! --icmpv6-type echo-reply -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type 3/1 -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type 1 -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type 200 -j DROP
ip6tables -A INPUT -p icmpv6 -j DROP
ip6tables -A INPUT -p icmp -j DROP
ip6tables -A INPUT -p udp -m multiport --dports 53,123:125 -j REJECT
ip6tables -A INPUT -p tcp -j REJECT --reject-with tcp-reset
ip6tables -A INPUT -j REJECT --reject-with icmp6-adm-prohibited
ip6tables -A INPUT -j REJECT --reject-with no-route
ip6tables -A INPUT -j REJECT --reject-with adm
ip6tables -A INPUT -j REJECT --reject-with icmp6-addr-unreachable
ip6tables -A INPUT -j REJECT --reject-with policy-fail
ip6tables -A INPUT -j REJECT --reject-with icmp6-reject-route
ip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ip6tables -A INPUT -m state --state NEW -m comment --comment "hi there" -j LOG --log-prefix "v6: "
ip6tables -A INPUT -m mark --mark 0x1/0xff -m limit --limit 3/min -j ACCEPT
ip6tables -A INPUT -s 2001:db8::/ffff:ffff:0:ffff:: -j ACCEPT
ip6tables -A INPUT -s 2001:db8::1,2001:db8::2 -d fe80::/10 -j ACCEPT
ip6tables -A INPUT -s ::/0 -j ACCEPT
ip6tables -A INPUT -s 2001:db8::1/64 -j ACCEPT
ip6tables -A INPUT -s ::ffff:10.0.0.1 -j ACCEPT
ip6tables -A INPUT -p 41 -j ACCEPT
ip6tables -A INPUT -p tcp --syn -j DROP
ip6tables -A INPUT -p tcp ! --dport 80:90 --sport 1024: -j DROP
ip6tables -A INPUT -p udp --sport 53 -j ACCEPT
ip6tables -A OUTPUT -o lo -j ACCEPT
ip6tables -A FORWARD ! -i veth+ ! -o eth1 -j DROP
ip6tables -N v6chain
ip6tables -A v6chain -j RETURN
ip6tables -I FORWARD -g v6chain
ip6tables -t mangle -A PREROUTING -j MARK --set-mark 7
ip6tables -t mangle -A POSTROUTING -j TOS --set-tos 0x10
ip6tables -t mangle -A POSTROUTING -j DSCP --set-dscp 10
ip6tables -t raw -A PREROUTING -j CT --notrack
ip6tables -t security -A INPUT -j ACCEPT
ip6tables -L
ip6tables -L -v
ip6tables -L -n
ip6tables -L -n -v
ip6tables -L -n -v -x --line-numbers
ip6tables -L INPUT 3 -n
ip6tables -L FORWARD
ip6tables -S
ip6tables -S INPUT 5
ip6tables -t mangle -L -n -v
ip6tables -t nat -L -n
ip6tables -t raw -S
ip6tables -V
ip6tables -6 -L OUTPUT
ip6tables-save
ip6tables-save -c
ip6tables-save -t nat
ip6tables-save -t bogus
iptables-save
iptables -L -n
