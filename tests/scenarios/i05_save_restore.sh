# iptables-save / iptables-restore: formats, counters, flush and noflush, errors with line numbers.
echo '*filter' > r1.txt
echo ':INPUT DROP [10:1000]' >> r1.txt
echo ':FORWARD ACCEPT [0:0]' >> r1.txt
echo ':OUTPUT ACCEPT [5:500]' >> r1.txt
echo ':custom - [0:0]' >> r1.txt
echo '# a comment' >> r1.txt
echo '' >> r1.txt
echo '[3:300] -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT' >> r1.txt
echo '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT' >> r1.txt
echo '-A INPUT -j custom' >> r1.txt
echo '-A custom -s 10.0.0.0/8 -j LOG --log-prefix "custom: "' >> r1.txt
echo 'COMMIT' >> r1.txt
echo '*nat' >> r1.txt
echo ':PREROUTING ACCEPT [0:0]' >> r1.txt
echo ':POSTROUTING ACCEPT [0:0]' >> r1.txt
echo '-A POSTROUTING -s 192.168.45.0/24 -o eth0 -j MASQUERADE' >> r1.txt
echo 'COMMIT' >> r1.txt
iptables-restore < r1.txt
iptables-save
iptables -L -v -n
iptables-save -c
iptables-save -t nat
iptables-save -t raw
iptables-save -t foo
iptables-save > saved.txt
iptables -F
iptables -t nat -F
iptables-restore saved.txt
iptables-save
iptables-restore -c r1.txt
iptables -L INPUT -v -n -x
iptables-save --counters -t filter
echo '*filter' > r2.txt
echo '-A INPUT -s 10.9.9.9 -j DROP' >> r2.txt
echo 'COMMIT' >> r2.txt
iptables-restore --noflush r2.txt
iptables -S INPUT
iptables-restore -n < r2.txt
iptables -S INPUT
cat r2.txt | iptables-restore
iptables -S
iptables-restore -t r1.txt
iptables -S
echo '*filter' > bad1.txt
echo '-A INPUT -j ACCEPT' >> bad1.txt
echo '-A INPUT -p tcp --dport 99999 -j ACCEPT' >> bad1.txt
echo 'COMMIT' >> bad1.txt
iptables-restore bad1.txt
iptables -S
echo '*filter' > bad2.txt
echo '-A INPUT -j ACCEPT' >> bad2.txt
iptables-restore bad2.txt
echo '*nosuch' > bad3.txt
echo 'COMMIT' >> bad3.txt
iptables-restore bad3.txt
echo '-A INPUT -j ACCEPT' > bad4.txt
iptables-restore bad4.txt
echo '*filter' > bad5.txt
echo ':INPUT FOO [0:0]' >> bad5.txt
echo 'COMMIT' >> bad5.txt
iptables-restore bad5.txt
echo '*filter' > bad6.txt
echo '-A nosuch -j ACCEPT' >> bad6.txt
echo 'COMMIT' >> bad6.txt
iptables-restore bad6.txt
echo '*filter' > bad7.txt
echo 'garbage here' >> bad7.txt
echo 'COMMIT' >> bad7.txt
iptables-restore bad7.txt
echo '*filter' > bad8.txt
echo ':newchain - [0:0]' >> bad8.txt
echo ':newchain - [0:0]' >> bad8.txt
echo 'COMMIT' >> bad8.txt
iptables-restore bad8.txt
iptables-restore /nonexistent
iptables-restore --bogus
iptables -S
iptables-save -c > c.txt
iptables-restore -c c.txt
iptables-save -c
