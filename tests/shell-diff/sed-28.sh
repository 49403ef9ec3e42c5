printf '%s\n' 1 2 | sed -n 'x;p'
printf '%s\n' a b | sed G
printf '%s\n' a b | sed -n '1h;2{x;p;x;p}'
