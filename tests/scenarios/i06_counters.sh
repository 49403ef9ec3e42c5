# iptables: counters in -L -v (K/M/G suffixes) and -x, -Z, -L -Z, counters set by iptables-restore -c.
echo '*filter' > r.txt
echo ':INPUT ACCEPT [123456789:98765432100]' >> r.txt
echo ':FORWARD DROP [999:99999]' >> r.txt
echo ':OUTPUT ACCEPT [100000:1000000]' >> r.txt
echo ':user - [0:0]' >> r.txt
echo '[1:64] -A INPUT -p icmp -j ACCEPT' >> r.txt
echo '[99999:100000] -A INPUT -p tcp -j ACCEPT' >> r.txt
echo '[100000:9999999] -A INPUT -p udp -j ACCEPT' >> r.txt
echo '[12345678901:1234567890123] -A INPUT -j user' >> r.txt
echo '[5:12345678901234] -A user -j RETURN' >> r.txt
echo '[7:700] -A OUTPUT -o lo -j ACCEPT' >> r.txt
echo 'COMMIT' >> r.txt
iptables-restore -c r.txt
iptables -L -v
iptables -L -v -n
iptables -L -v -n -x
iptables -L -v -n --line-numbers
iptables -L INPUT -v -x -n
iptables -S -v
iptables -S INPUT -v
iptables -S INPUT 2 -v
iptables-save -c
iptables -Z INPUT 2
iptables -L INPUT -v -n
iptables -Z user
iptables -L -v -n
iptables -L INPUT -Z -v -n
iptables -L INPUT -v -n
iptables-restore -c r.txt
iptables -Z
iptables-save -c
iptables -A INPUT -i lo -j ACCEPT
ping -c 2 -q 127.0.0.1 > /dev/null
iptables -L INPUT -v -n
iptables -L OUTPUT -v -n -x
iptables -L -v
