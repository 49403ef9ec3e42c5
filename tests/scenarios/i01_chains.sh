# iptables: tables created on first use, chain commands, -L/-S forms, rule numbers.
iptables-save
iptables -L
iptables -t nat -S
iptables-save
iptables -N mychain
iptables-save
iptables -N mychain
iptables -N INPUT
iptables -A INPUT -p tcp --dport 22 -j ACCEPT
iptables -A INPUT -j mychain
iptables -I INPUT -s 10.1.0.0/16 -j DROP
iptables -I INPUT 2 -d 10.2.0.0/255.255.0.0 -j RETURN
iptables -I INPUT 9 -j ACCEPT
iptables -I INPUT 6 -j ACCEPT
iptables -A mychain -i veth+ -o eth0 -j ACCEPT
iptables -A FORWARD -g mychain
iptables -L
iptables -L -n
iptables -L -n --line-numbers
iptables -L INPUT -n
iptables -L INPUT 2 -n
iptables -L mychain
iptables -S
iptables -S INPUT
iptables -S INPUT 3
iptables -S INPUT 0
iptables -S INPUT 99
iptables -L INPUT 99
iptables -R INPUT 1 -s 10.9.0.0/16 -j DROP
iptables -R INPUT 9 -j DROP
iptables -C INPUT -s 10.9.0.0/16 -j DROP
iptables -C INPUT -s 10.9.0.0/16 -j ACCEPT
iptables -D INPUT -s 10.9.0.0/16 -j DROP
iptables -D INPUT 2
iptables -D INPUT 9
iptables -S INPUT
iptables -X mychain
iptables -E mychain other
iptables -E nosuch other2
iptables -E other INPUT
iptables -N other2
iptables -E other other2
iptables -L -n
iptables -F other
iptables -D FORWARD 1
iptables -D INPUT -j other
iptables -X other
iptables -X
iptables -S
iptables -P INPUT DROP
iptables -P FORWARD REJECT
iptables -P other2 DROP
iptables -P OUTPUT ACCEPT
iptables --policy INPUT ACCEPT
iptables -t nat -P PREROUTING DROP
iptables -t nat -P POSTROUTING ACCEPT
iptables -t mangle -N m1
iptables -t raw -A PREROUTING -j ACCEPT
iptables-save
iptables -F
iptables -X
iptables -t nat -F
iptables -S
iptables --new-chain c1
iptables --append c1 -j ACCEPT
iptables --insert c1 -j DROP
iptables --list c1 --numeric --line-numbers
iptables --list-rules c1
iptables --delete c1 1
iptables --replace c1 1 -j RETURN
iptables --check c1 -j RETURN
iptables --flush c1
iptables --rename-chain c1 c2
iptables --delete-chain c2
iptables -S
