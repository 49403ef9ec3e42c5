printf '%s\n' 'one two' xx | grep --color=always -n o
printf '%s\n' 'one two' xx | grep --color=always -c o
printf '%s\n' 'a b' | grep --color=never a
