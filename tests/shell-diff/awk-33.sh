# awk: getline forms on the main input
cat <<'EOF' | awk 'NR == 1 {getline; print "now", $0, NR} NR == 3 {getline line; print "line=" line, $0, NR}'
one
two
three
four
EOF
