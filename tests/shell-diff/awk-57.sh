# awk: default route gateway from ip route
cat <<'EOF' | awk '/^default/ {print $3; exit}'
default via 10.0.0.254 dev eth0 proto static
10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1
default via 10.0.1.254 dev eth1 metric 200
EOF
