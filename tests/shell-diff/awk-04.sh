# awk: counting with an array (mawk's for-in order)
cat <<'EOF' | awk '{c[$1]++} END {for (k in c) print k, c[k]}'
tcp
udp
tcp
icmp
tcp
udp
EOF
