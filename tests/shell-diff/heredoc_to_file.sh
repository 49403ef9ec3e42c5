cat > out.txt <<EOF
line1
line2
EOF
cat out.txt
