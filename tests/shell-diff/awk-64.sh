# awk: awk -f program file with functions
cat > prog.awk <<'EOF'
function max(a, b) { return a > b ? a : b }
{ m = max(m, $1) }
END { print "max", m }
EOF
echo '3
17
5' | awk -f prog.awk
