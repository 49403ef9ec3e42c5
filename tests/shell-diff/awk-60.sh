# awk: -v ip= filter and counting matches
cat <<'EOF' | awk -v ip=10.0.0.2 '$3 == ip {n++} END {print n + 0, "packets to", ip}'
12:00:01 IP 10.0.0.1 > 10.0.0.2: ICMP echo request
12:00:01 IP 10.0.0.2 > 10.0.0.1: ICMP echo reply
12:00:02 IP 10.0.0.1 > 10.0.0.2: ICMP echo request
EOF
