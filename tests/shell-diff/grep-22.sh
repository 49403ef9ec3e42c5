printf '%s\n' 1 2 3 4 5 6 7 8 9 | grep -B2 -n 5
printf '%s\n' 1 2 3 4 5 6 7 8 9 | grep -C1 -e 2 -e 4
