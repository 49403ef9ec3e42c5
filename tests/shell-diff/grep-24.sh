printf '%s\n' a b c a b c | grep -m1 -A2 a
printf '%s\n' a b c a b c | grep -m 1 -c b
printf '%s\n' a b c a b c | grep --max-count=2 -n '[ab]'
