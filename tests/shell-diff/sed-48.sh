printf '%s\n' 1 2 3 4 5 6 | sed -n 'p;n'
printf '%s\n' 1 2 3 4 5 6 | sed '1~2d'
printf '%s\n' 1 2 3 | sed -z 's/\n/,/g'
