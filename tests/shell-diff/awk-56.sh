# awk: ifconfig-style counters summed per interface
cat <<'EOF' | awk '$1 ~ /:$/ {dev = $1; sub(/:$/, "", dev)} $1 == "RX" {rx[dev] += $3} END {for (d in rx) print d, rx[d]}'
eth0:
  RX packets 10 bytes 1000
  RX packets 5 bytes 500
lo:
  RX packets 2 bytes 100
EOF
