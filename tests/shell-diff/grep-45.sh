printf '%s\n' a1 b2 c3 | grep -oE '[0-9]' | grep -c .
printf '%s\n' a1 b2 | grep -nHo '[a-z]'
