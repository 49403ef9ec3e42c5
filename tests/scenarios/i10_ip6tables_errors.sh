# ip6tables: what it refuses, with iptables' messages in ip6tables' name, and the IPv4 tables untouched.
ip6tables -A INPUT -s 10.0.0.1 -j DROP
ip6tables -A INPUT -d 2001:db8:::1 -j DROP
ip6tables -A INPUT -s 2001:db8::/129 -j ACCEPT
ip6tables -A INPUT -s 2001:db8::/64x -j ACCEPT
ip6tables -A INPUT -s 2001:db8::/ffff::zz -j ACCEPT
iptables -A INPUT -s 2001:db8::1 -j DROP
ip6tables -A INPUT -p icmp --icmp-type 8 -j DROP
ip6tables -A INPUT -p icmp -m icmp --icmp-type 8 -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type bogus -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type echo -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type ttl -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type 300 -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type 1/x -j DROP
ip6tables -A INPUT -p icmpv6 --icmpv6-type 1/300 -j DROP
ip6tables -A INPUT -m icmp6 -j DROP
ip6tables -A INPUT -p tcp -m icmp6 --icmpv6-type 1 -j DROP
ip6tables -A INPUT -p icmpv6 --icmp-type 8 -j DROP
ip6tables -A INPUT -j FOO
ip6tables -A INPUT -f -j DROP
ip6tables -A INPUT -j REJECT --reject-with icmp-port-unreachable
ip6tables -A INPUT -j REJECT --reject-with bogus
ip6tables -A INPUT -p udp -j REJECT --reject-with tcp-reset
ip6tables -A INPUT -j REJECT --reject-with TCP
ip6tables -t nat -A POSTROUTING -j REJECT
ip6tables -A INPUT -m ttl --ttl-eq 3 -j DROP
ip6tables -t mangle -A INPUT -j TTL --ttl-set 3
ip6tables -A INPUTX -j DROP
ip6tables -L FOO
ip6tables -D INPUT -j DROP
ip6tables -t bogus -L
ip6tables -P INPUT REJECT
ip6tables -N INPUT
ip6tables -X INPUT
ip6tables -A INPUT -j ACCEPT
ip6tables -X INPUT
ip6tables -F INPUT
ip6tables -A INPUT -p bogus -j DROP
ip6tables -A INPUT -i eth0 -o eth1 -j DROP
ip6tables -A OUTPUT -i eth0 -j DROP
ip6tables-save
iptables-save
ip6tables -S
