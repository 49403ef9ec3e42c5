read -r -d '' text <<'EOF'
first line
  second $notexpanded
EOF
echo "st=$?"
echo "[$text]"
