printf '%s\n' a b c a | grep -c -A1 a
printf '%s\n' o x x o | grep -o -A1 o
printf '%s\n' o x x o | grep -v -o -A1 o
echo "rc=$?"
