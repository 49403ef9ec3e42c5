# awk: regex and negated regex patterns
cat <<'EOF' | awk '/eth/ && !/eth1/'
lo
eth0
eth1
eth10
EOF
