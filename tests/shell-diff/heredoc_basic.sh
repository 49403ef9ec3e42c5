name=World
cat <<EOF
Hello $name
  indented $((1+2))
EOF
echo after
