# awk: printf table
cat <<'EOF' | awk '{printf "%-6s|%6.2f|%03d\n", $1, $2, NR}'
eth0 1.5
eth1 22.125
lo 0
EOF
