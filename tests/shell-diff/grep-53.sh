printf '%s\n' a b | grep -v -e ''
echo "rc=$?"
printf '%s\n' a b | grep -E -F a
echo "rc=$?"
printf '%s\n' one two three | grep -n -m1 -A1 t
