# awk: fields of ip -o addr lines
cat <<'EOF' | awk '{print $2, $4}'
1: lo    inet 127.0.0.1/8 scope host lo
2: eth0    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0
3: eth1    inet 192.168.1.5/24 scope global eth1
EOF
