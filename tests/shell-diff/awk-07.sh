# awk: range pattern
cat <<'EOF' | awk '/^start/,/^end/'
a
start
b
end
c
EOF
