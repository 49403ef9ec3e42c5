printf 'a' | sed x
echo
printf 'a' | sed 'x;G'
echo
printf 'a' | sed q
printf 'a' | sed -n 'p;q'
