printf '%s\n' yyy xy | sed ':a;s/^\(x*\)y/\1x/;ta'
printf '%s\n' 1 2 | sed 's/1/one/;T;s/$/!/'
printf '%s\n' 1 2 | sed 's/1/one/;tx;s/$/?/;:x'
