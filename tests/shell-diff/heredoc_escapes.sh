x=v
cat <<EOF
\$x is $x, \\ backslash, "quotes" 'single'
line \
continued
EOF
