printf '%s\n' 1 2 3 | sed '$!N;P;D'
printf '%s\n' 1 2 3 4 5 | sed 'N;N;s/\n/,/g'
printf '%s\n' 1 2 3 | sed 'N;s/\n/-/'
