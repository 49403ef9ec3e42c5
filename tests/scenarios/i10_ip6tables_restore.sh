# ip6tables-save/-restore: a round trip through a file, counters, -n, -T, errors at a line; iptables and ip6tables tables stay apart.
iptables -A INPUT -s 10.0.0.0/8 -j ACCEPT
ip6tables -A INPUT -s 2001:db8::/32 -p tcp --dport 443 -j ACCEPT
ip6tables -A INPUT -p icmpv6 --icmpv6-type neighbour-advertisement -j ACCEPT
ip6tables -A OUTPUT -d fe80::/10 -j DROP
ip6tables -P FORWARD DROP
ip6tables -N logdrop
ip6tables -A logdrop -j LOG --log-prefix "drop6 " --log-level 6
ip6tables -A logdrop -j DROP
ip6tables -A FORWARD -j logdrop
ip6tables -t mangle -A OUTPUT -p udp --dport 53 -j MARK --set-xmark 0x5/0xf
ip6tables-save > rules6
iptables-save > rules4
cat rules6
ip6tables -F
ip6tables -X
ip6tables -t mangle -F
ip6tables -P FORWARD ACCEPT
ip6tables -S
iptables -S
ip6tables-restore < rules6
ip6tables-save
iptables-save
ip6tables -Z
ip6tables-save -c
echo '*filter' > r1.txt
echo ':INPUT DROP [3:4]' >> r1.txt
echo '[5:6] -A INPUT -s 2001:db8::5 -j ACCEPT' >> r1.txt
echo 'COMMIT' >> r1.txt
ip6tables-restore -c r1.txt
ip6tables -L INPUT -n -v
echo '*filter' > r2.txt
echo '-A INPUT -d ::2 -j ACCEPT' >> r2.txt
echo 'COMMIT' >> r2.txt
ip6tables-restore -n r2.txt
ip6tables -S INPUT
echo '*mangle' > r3.txt
echo '-A PREROUTING -j ACCEPT' >> r3.txt
echo 'COMMIT' >> r3.txt
echo '*filter' >> r3.txt
echo '-A INPUT -j DROP' >> r3.txt
echo 'COMMIT' >> r3.txt
ip6tables-restore -T mangle r3.txt
ip6tables -S INPUT
ip6tables -t mangle -S
echo '*filter' > r4.txt
echo '-A INPUT -s 10.0.0.1 -j DROP' >> r4.txt
echo 'COMMIT' >> r4.txt
ip6tables-restore < r4.txt
echo '*filter' > r5.txt
echo '-A INPUT -p icmpv6 --icmpv6-type xx -j DROP' >> r5.txt
echo 'COMMIT' >> r5.txt
ip6tables-restore < r5.txt
echo '*filter' > r6.txt
echo '-A INPUT -j DROP' >> r6.txt
ip6tables-restore < r6.txt
echo '*filter' > r7.txt
echo '-A INPUT -j nochain' >> r7.txt
echo 'COMMIT' >> r7.txt
ip6tables-restore < r7.txt
echo '*bogus' > r8.txt
echo 'COMMIT' >> r8.txt
ip6tables-restore < r8.txt
ip6tables -S INPUT
iptables-restore < rules6
ip6tables-restore < rules4
iptables-save
ip6tables-restore -V
ip6tables-save -V
ip6tables-save -x
iptables-save -x
ip6tables -A INPUT -c 3 4 -j DROP
iptables -A INPUT -c 3 4 -j DROP
ip6tables -L INPUT -n -v
iptables -L INPUT -n -v
ip6tables -X INPUT
ip6tables -F INPUT
ip6tables -X INPUT
ip6tables -P FORWARD DROP
ip6tables -X FORWARD
ip6tables -S
