ip=10.0.0.1
cat > conf <<EOF
address=$ip
gateway=${ip%.*}.254
EOF
while IFS== read -r k v; do echo "key=$k val=$v"; done < conf
