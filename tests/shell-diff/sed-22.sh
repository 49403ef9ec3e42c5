printf '%s\n' a b | sed '$a\
two\
lines'
printf '%s\n' a b c | sed '2c\changed'
printf '%s\n' a b c | sed '1,2c\changed'
