# awk: sum, average and count
cat <<'EOF' | awk '{s += $2} END {print s, s/NR, NR}'
alice 10
bob 20
carol 5
EOF
