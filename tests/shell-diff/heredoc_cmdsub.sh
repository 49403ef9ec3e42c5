cat <<EOF
today is $(echo Monday)
EOF
v=$(cat <<EOF
inner
EOF
)
echo "[$v]"
