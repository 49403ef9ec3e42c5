# Kernel facts of iptables-nft seen against recordings: deleting a chain
# that still has rules, deleting by number in a built-in chain nf_tables
# has not made yet, restore --test and jump targets, and ports given by
# service name (resolved through /etc/services, printed back by name).
iptables -D INPUT 1
iptables -t nat -D POSTROUTING 1
iptables -D FORWARD 3
iptables -N web
iptables -A web -j ACCEPT
iptables -X web
iptables -L web
iptables -F web
iptables -X web
iptables -L web
iptables -N a
iptables -A a -j ACCEPT
iptables -N b
iptables -A INPUT -j b
iptables -X
iptables -S
iptables -X b
iptables -F INPUT
iptables -X
iptables -S
printf '*filter\n-A INPUT -j nosuch\nCOMMIT\n' | iptables-restore --test; echo "rc=$?"
printf '*filter\n-A INPUT -j nosuch\nCOMMIT\n' | iptables-restore; echo "rc=$?"
printf '*filter\n:x - [0:0]\n-A INPUT -j x\n-A INPUT -j y\nCOMMIT\n' | iptables-restore --test; echo "rc=$?"
printf '*filter\n-A INPUT -m nosuchmatch -j ACCEPT\nCOMMIT\n' | iptables-restore --test; echo "rc=$?"
iptables -S
iptables -A INPUT -p tcp --dport ssh -j ACCEPT
iptables -A INPUT -p tcp --sport http -j ACCEPT
iptables -A INPUT -p udp --dport domain -j ACCEPT
iptables -A INPUT -p tcp --dport ssh:https -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports ssh,http,443 -j ACCEPT
iptables -A INPUT -p tcp --dport nosuchservice -j ACCEPT
iptables -A INPUT -p udp --dport ntp -j ACCEPT
iptables -A INPUT -p tcp --dport 0x16 -j ACCEPT
iptables -S INPUT
iptables -L INPUT
iptables -L INPUT -n
iptables -t nat -A PREROUTING -p tcp --dport http -j DNAT --to-destination 10.0.0.2:ssh
iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:http-https
iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to-ports ssh
iptables -t nat -A PREROUTING -p tcp -j REDIRECT --to-ports www
iptables -t nat -S
iptables -t nat -L -n
iptables-save | grep -v '^#'
iptables -F
iptables -X
iptables -R INPUT 1 -j ACCEPT
iptables -I INPUT 2 -j ACCEPT
iptables -Z INPUT 1
iptables -D INPUT 0
iptables -N u
iptables -D u 1
iptables -R u 1 -j ACCEPT
iptables -N v
iptables -A v -j ACCEPT
iptables -A u -j ACCEPT
iptables -N w
iptables -A w -j v
iptables -X
iptables -F w
iptables -N c
iptables -N b
iptables -A b -j c
iptables -X
iptables -S
printf '*filter\n-A INPUT -j nosuch\n' | iptables-restore --test; echo "rc=$?"
printf '*nat\n-A INPUT -j DROP\nCOMMIT\n' | iptables-restore --test; echo "rc=$?"
printf '*filter\n-X nosuch\n-D INPUT 5\nCOMMIT\n' | iptables-restore --test; echo "rc=$?"
printf '*filter\n-X nosuch\nCOMMIT\n' | iptables-restore; echo "rc=$?"
printf '*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n' | iptables-restore --test; echo "rc=$?"
iptables -S INPUT
iptables -A INPUT -p tcp --dport 1:2:3
iptables -A INPUT -p tcp --dport 0x
iptables -A INPUT -p tcp --dport 1,2
iptables -A INPUT -p tcp --dport 23:22
iptables -A INPUT -p tcp --dport HTTP
iptables -A INPUT -p tcp --dport 65536
iptables -A INPUT -p tcp --dport -1
iptables -A INPUT -p tcp -m multiport --dports 0x10,010,ssh:www
iptables -A INPUT -p tcp -m multiport --dports 0x10:
iptables -A INPUT -p tcp --sport 010: --dport :0x20
iptables -S INPUT
