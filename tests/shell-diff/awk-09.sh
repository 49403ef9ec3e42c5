# awk: NF as a pattern skips blank lines
cat <<'EOF' | awk 'NF {print NR": "$0}'
one

three
EOF
