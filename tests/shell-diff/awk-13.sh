# awk: paragraph mode (RS="")
cat <<'EOF' | awk 'BEGIN {RS=""} {print NR": "$1" ("NF" fields)"}'
host a
ip 1


host b
ip 2
EOF
