printf '%s\n' 1 2 3 4 5 | sed -n '2,3p;n;n;n'
printf '%s\n' 1 2 3 4 5 6 7 8 | sed -n '2,/5/p;n;n'
printf '%s\n' 1 2 3 4 | sed -n '/3/d;2,+1p'
