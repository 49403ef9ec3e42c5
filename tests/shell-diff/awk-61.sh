# awk: iptables -L -n -v style table: packets per target
cat <<'EOF' | awk 'NR > 2 {pk[$3] += $1} END {for (t in pk) printf "%-8s %d\n", t, pk[t]}'
Chain FORWARD (policy DROP 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination
   10   840 ACCEPT     all  --  eth0   eth1    0.0.0.0/0            0.0.0.0/0
    3   252 DROP       icmp --  *      *       0.0.0.0/0            0.0.0.0/0
    5   420 ACCEPT     tcp  --  eth1   eth0    0.0.0.0/0            0.0.0.0/0
EOF
