printf '%s\n' a '' b '' | grep -c '^$'
printf '%s\n' a '' b | grep -n ''
