printf '%s\n' 1 2 3 4 | sed -n 'h;n;G;p'
printf '%s\n' 1 2 3 | sed -n 'H;${x;s/\n/,/g;p}'
