# iptables: how each match prints in -L, -L -n, -S and iptables-save.
iptables -A INPUT -s 10.0.0.1 -d 192.168.1.0/24 -j ACCEPT
iptables -A INPUT ! -s 10.0.0.0/8 ! -d 172.16.0.0/12 ! -i lo ! -o eth1 -j ACCEPT
iptables -A FORWARD ! -s 10.0.0.0/8 ! -d 172.16.0.0/12 ! -i lo ! -o eth1 -j ACCEPT
iptables -L FORWARD -v -n
iptables -S FORWARD
iptables -A INPUT -s 10.0.0.1,10.0.0.2 -j DROP
iptables -A INPUT -s 10.0.0.0/255.255.255.128 -j DROP
iptables -A INPUT -s 10.0.0.0/255.0.255.0 -j DROP
iptables -A INPUT -s 10.1.2.3/8 -j DROP
iptables -A INPUT -p udp -j DROP
iptables -A INPUT ! -p tcp -j DROP
iptables -A INPUT -p icmp -j DROP
iptables -A INPUT -p all -j DROP
iptables -A INPUT -p 47 -j DROP
iptables -A INPUT -p gre -j DROP
iptables -A INPUT -p esp -j DROP
iptables -A INPUT -p sctp -j DROP
iptables -A INPUT -p 200 -j DROP
iptables -A INPUT -f -j DROP
iptables -A INPUT ! -f -j DROP
iptables -A INPUT -p tcp --sport 1024:65535 --dport 80 -j ACCEPT
iptables -A INPUT -p tcp --source-port :1023 --destination-port 8000: -j ACCEPT
iptables -A INPUT -p tcp ! --sport 22 ! --dport 1:2 -j ACCEPT
iptables -A INPUT -p tcp --dport ssh -j ACCEPT
iptables -A INPUT -p tcp --syn -j ACCEPT
iptables -A INPUT -p tcp ! --syn -j ACCEPT
iptables -A INPUT -p tcp --tcp-flags SYN,ACK SYN -j ACCEPT
iptables -A INPUT -p tcp --tcp-flags ALL NONE -j DROP
iptables -A INPUT -p tcp --tcp-flags ALL FIN,URG,PSH -j DROP
iptables -A INPUT -p tcp ! --tcp-flags FIN,SYN,RST,PSH,ACK,URG RST -j DROP
iptables -A INPUT -p tcp --tcp-option 2 -j DROP
iptables -A INPUT -p tcp ! --tcp-option 8 -j DROP
iptables -A INPUT -p udp --sport 53 --dport 1000:2000 -j ACCEPT
iptables -A INPUT -p udp ! --dport 53 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 8 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 3/4 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type any -j ACCEPT
iptables -A INPUT -p icmp ! --icmp-type destination-unreachable -j ACCEPT
iptables -A INPUT -p icmp --icmp-type port-unreachable -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 3 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type 200 -j ACCEPT
iptables -L -n
iptables -L
iptables -S
iptables -F
iptables -A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT
iptables -A INPUT -p udp -m multiport --sports 53,1000:2000 -j ACCEPT
iptables -A INPUT -p tcp -m multiport ! --ports 1,2,3 -j ACCEPT
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A INPUT -m conntrack ! --ctstate INVALID -j ACCEPT
iptables -A INPUT -m conntrack --ctstate NEW,UNTRACKED,SNAT,DNAT -j ACCEPT
iptables -A INPUT -m conntrack --ctproto tcp --ctorigsrc 10.0.0.0/8 --ctorigdst 10.0.0.1 -j ACCEPT
iptables -A INPUT -m conntrack ! --ctreplsrc 10.0.0.2 ! --ctrepldst 10.0.0.0/24 -j ACCEPT
iptables -A INPUT -m conntrack --ctorigsrcport 1000 --ctorigdstport 2000:3000 -j ACCEPT
iptables -A INPUT -m conntrack --ctstatus ASSURED,SEEN_REPLY --ctexpire 10:100 --ctdir ORIGINAL -j ACCEPT
iptables -A INPUT -m conntrack --ctstatus NONE --ctexpire 5 --ctdir REPLY -j ACCEPT
iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -m state ! --state NEW -j ACCEPT
iptables -A INPUT -m mark --mark 0x1 -j ACCEPT
iptables -A INPUT -m mark ! --mark 5/0xff -j ACCEPT
iptables -A INPUT -m connmark --mark 0x10/0xf0 -j ACCEPT
iptables -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 -j ACCEPT
iptables -A INPUT -m iprange ! --dst-range 10.0.0.1-10.0.0.9 -j ACCEPT
iptables -A INPUT -m comment --comment "allow web" -j ACCEPT
iptables -A INPUT -m comment --comment nospace -j ACCEPT
iptables -A INPUT -m addrtype --src-type LOCAL -j ACCEPT
iptables -A INPUT -m addrtype ! --dst-type UNICAST,BROADCAST --limit-iface-in -j ACCEPT
iptables -A INPUT -m ttl --ttl-eq 64 -j ACCEPT
iptables -A INPUT -m ttl --ttl-lt 10 -j ACCEPT
iptables -A INPUT -m ttl --ttl-gt 200 -j ACCEPT
iptables -A INPUT -m ttl ! --ttl-eq 1 -j ACCEPT
iptables -A INPUT -m limit --limit 5/min -j ACCEPT
iptables -A INPUT -m limit --limit 10/second --limit-burst 20 -j ACCEPT
iptables -A INPUT -m limit --limit 2/hour -j ACCEPT
iptables -A INPUT -m limit --limit 1/day -j ACCEPT
iptables -A INPUT -m limit -j ACCEPT
iptables -A INPUT -m pkttype --pkt-type broadcast -j DROP
iptables -A INPUT -m pkttype ! --pkt-type unicast -j DROP
iptables -A INPUT -m mac --mac-source 02:00:00:00:00:01 -j DROP
iptables -A INPUT -m mac ! --mac-source 02:AB:00:00:00:01 -j DROP
iptables -A INPUT -p tcp --dport 80 -m conntrack --ctstate NEW -m comment --comment web -j ACCEPT
iptables -L -n
iptables -L
iptables -S
iptables -L -v -n
