printf '%s\n' a b | sed =
printf '%s\n' a b c | sed -n '$='
