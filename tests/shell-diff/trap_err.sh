trap 'echo "err at $LINENO"' ERR
true
false
echo next
false || true
