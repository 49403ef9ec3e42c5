# awk: uniq-like first occurrence with !seen[$0]++
cat <<'EOF' | awk '!seen[$0]++'
b
a
b
c
a
EOF
