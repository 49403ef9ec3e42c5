# Every table through iptables-restore and iptables-save (raw, mangle,
# security, filter, nat, in save's fixed order), counters with -c, the
# security table's chains, and iptables-restore errors not covered by i05.
echo '*raw' > all.txt
echo ':PREROUTING ACCEPT [0:0]' >> all.txt
echo ':OUTPUT ACCEPT [0:0]' >> all.txt
echo '-A PREROUTING -p udp --dport 53 -j CT --notrack' >> all.txt
echo 'COMMIT' >> all.txt
echo '*security' >> all.txt
echo ':INPUT ACCEPT [0:0]' >> all.txt
echo ':FORWARD ACCEPT [0:0]' >> all.txt
echo ':OUTPUT ACCEPT [0:0]' >> all.txt
echo '-A INPUT -p icmp -j ACCEPT' >> all.txt
echo 'COMMIT' >> all.txt
echo '*mangle' >> all.txt
echo ':PREROUTING ACCEPT [0:0]' >> all.txt
echo ':FORWARD ACCEPT [0:0]' >> all.txt
echo ':mine - [0:0]' >> all.txt
echo '-A PREROUTING -j mine' >> all.txt
echo '-A mine -p tcp --dport 22 -j TOS --set-tos 0x10' >> all.txt
echo '-A FORWARD -j MARK --set-mark 0x1' >> all.txt
echo 'COMMIT' >> all.txt
echo '*nat' >> all.txt
echo ':PREROUTING ACCEPT [0:0]' >> all.txt
echo ':OUTPUT ACCEPT [0:0]' >> all.txt
echo '-A OUTPUT -d 10.9.9.9 -p tcp -j DNAT --to-destination 127.0.0.1:8080' >> all.txt
echo 'COMMIT' >> all.txt
echo '*filter' >> all.txt
echo ':INPUT ACCEPT [0:0]' >> all.txt
echo '-A INPUT -i lo -j ACCEPT' >> all.txt
echo 'COMMIT' >> all.txt
iptables-restore all.txt
iptables-save
iptables -t security -L -n -v
iptables -t security -S
iptables -t mangle -L mine -n
ping -c 2 -i 0.2 -q 127.0.0.1 > /dev/null
iptables -t security -L INPUT -n -v
iptables -L INPUT -n -v
iptables-save -c -t security
iptables-save -t mangle
iptables -t security -F
iptables -t security -X
iptables -t security -N sec1
iptables -t security -A OUTPUT -j sec1
iptables -t security -S
iptables -t security -A INPUT -j DNAT --to-destination 1.2.3.4
iptables -t security -A INPUT -j MARK --set-mark 1
iptables -t security -A PREROUTING -j ACCEPT
echo '*filter' > e1.txt
echo ':INPUT ACCEPT [0:0]' >> e1.txt
echo '*nat' >> e1.txt
echo 'COMMIT' >> e1.txt
iptables-restore e1.txt
echo '*filter' > e2.txt
echo ':mine ACCEPT [0:0]' >> e2.txt
echo 'COMMIT' >> e2.txt
iptables-restore e2.txt
echo '*filter' > e3.txt
echo '-X' >> e3.txt
echo 'COMMIT' >> e3.txt
iptables-restore e3.txt
echo '*filter' > e4.txt
echo '[1:2:3] -A INPUT -j ACCEPT' >> e4.txt
echo 'COMMIT' >> e4.txt
iptables-restore -c e4.txt
echo '*filter' > e5.txt
echo ':INPUT ACCEPT [x:0]' >> e5.txt
echo 'COMMIT' >> e5.txt
iptables-restore -c e5.txt
echo '*raw' > e6.txt
echo '-A FORWARD -j ACCEPT' >> e6.txt
echo 'COMMIT' >> e6.txt
iptables-restore e6.txt
echo 'COMMIT' > e7.txt
iptables-restore e7.txt
iptables-restore --test all.txt
iptables-restore -T nat all.txt
iptables-save -t nat
iptables-save
