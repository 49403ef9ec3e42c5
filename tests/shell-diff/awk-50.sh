# awk: reverse the fields of each line
cat <<'EOF' | awk '{for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? OFS : ORS)}'
a b c
1 2
EOF
