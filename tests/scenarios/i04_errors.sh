# iptables: parameter problems (exit 2), kernel refusals (exit 1, 4) and their messages.
iptables -Q
iptables -A
iptables -A INPUT --dport 80
iptables -A INPUT -p tcp --dport 80x
iptables -A INPUT -p tcp --dport 70000
iptables -A INPUT -p tcp --dport 80 -j ACCEPT extra
iptables -A INPUT -p foo
iptables -A INPUT -p 256
iptables -A INPUT -s 10.0.0.300
iptables -A INPUT -s 10.0.0.1/33
iptables -A INPUT -s 10.0.0.1/255.0.0.x
iptables -A INPUT -i eth0 -i eth1
iptables -A INPUT -s 1.1.1.1 -s 2.2.2.2
iptables -A INPUT -j ACCEPT -j DROP
iptables -A INPUT -j NOSUCHTARGET
iptables -A INPUT -m nosuchmatch
iptables -A INPUT -p tcp --tcp-flags SYN
iptables -A INPUT -p tcp --tcp-flags FOO SYN
iptables -A INPUT -p icmp --icmp-type foo
iptables -A INPUT -m conntrack --ctstate FOO
iptables -A INPUT -m conntrack
iptables -A INPUT -m state --state FOO
iptables -A INPUT -m mark --mark x
iptables -A INPUT -m limit --limit 5/week
iptables -A INPUT -m limit --limit 0/second
iptables -A INPUT -m multiport --dports 80
iptables -A INPUT -p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16
iptables -A INPUT -m iprange --src-range 10.0.0.1
iptables -A INPUT -m ttl --ttl-eq 300
iptables -A INPUT -m pkttype --pkt-type foo
iptables -A INPUT -m mac --mac-source 02:00
iptables -A INPUT -m addrtype --src-type FOO
iptables -A INPUT -m comment
iptables -A INPUT -j REJECT --reject-with foo
iptables -A INPUT -j REJECT --reject-with tcp-reset
iptables -A INPUT -j LOG --log-level foo
iptables -A INPUT -j MARK
iptables -A INPUT -j MARK --set-mark 1
iptables -t nat -A POSTROUTING -j SNAT
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3
iptables -t nat -A POSTROUTING -j SNAT --to-source 1.2.3.4:80
iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports abc
iptables -t nat -A INPUT -j DNAT --to-destination 1.2.3.4
iptables -t nat -A PREROUTING -j MASQUERADE
iptables -t nat -A PREROUTING -j SNAT --to-source 1.2.3.4
iptables -t nat -A POSTROUTING -j DNAT --to-destination 1.2.3.4
iptables -t nat -A OUTPUT -j REDIRECT
iptables -t nat -A POSTROUTING -j REDIRECT
iptables -t mangle -A PREROUTING -j REJECT
iptables -t nat -A PREROUTING -j REJECT
iptables -A INPUT -j TTL --ttl-set 5
iptables -A INPUT -j CT --notrack
iptables -A INPUT -j TRACE
iptables -t nat -A POSTROUTING -j ACCEPT
iptables -t foo -L
iptables -t filter -A PREROUTING -j ACCEPT
iptables -A INPUT -j nosuch
iptables -F nosuch
iptables -L nosuch
iptables -S nosuch
iptables -D INPUT 5
iptables -D INPUT -p udp -j ACCEPT
iptables -R INPUT 1 -j ACCEPT
iptables -I INPUT 3 -j ACCEPT
iptables -I INPUT 0 -j ACCEPT
iptables -D INPUT abc
iptables -N a-very-long-chain-name-that-is-too-long
iptables -N -bad
iptables -N ACCEPT
iptables -N chain1
iptables -A chain1 -j chain1
iptables -A INPUT -j chain1
iptables -X chain1
iptables -A INPUT -g nosuch
iptables -L -S
iptables -A INPUT -D INPUT
iptables -P INPUT
iptables -P INPUT FOO
iptables -Z nosuch
iptables -A INPUT -x -j ACCEPT
iptables -S
