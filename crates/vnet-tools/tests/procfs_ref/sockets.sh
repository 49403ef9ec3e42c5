ip link set lo up
nc -l 8080 >/dev/null 2>&1 &
nc -u -l 5353 >/dev/null 2>&1 &
sleep 0.5
nc 127.0.0.1 8080 </dev/null >/dev/null 2>&1 &
nc -l 9090 >/dev/null 2>&1 &
tcpdump -i lo -c 1000 >/dev/null 2>&1 &
ping -c 2 -i 0.2 127.0.0.1 >/dev/null 2>&1
ping -c 100 -i 5 127.0.0.1 >/dev/null 2>&1 &
sleep 1
cat /proc/net/tcp
cat /proc/net/udp
cat /proc/net/raw
cat /proc/net/packet
cat /proc/net/sockstat
cat /proc/net/snmp
