printf '%s\n' 'a b' 'c d' | grep -- -v
echo "rc=$?"
printf '%s\n' '-v x' | grep -e -v
