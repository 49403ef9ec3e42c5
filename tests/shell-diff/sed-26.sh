printf '%s\n' 1 2 3 | sed 'n;d'
printf '%s\n' 1 2 3 | sed ':a;N;$!ba;s/\n/+/g'
