x=1
cat <<'EOF'
no $x expansion `here`
EOF
cat <<"E"
also $x
E
cat <<\E
and $x
E
