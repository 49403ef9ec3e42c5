printf 'hello\n'
printf '%s\n' a b c
printf '%s-%s\n' 1 2 3
printf 'no newline'
printf '\n'
printf '%d%%\n' 50
