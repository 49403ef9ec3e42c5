printf '%s\n' a x b x c | grep --no-group-separator -A0 -e a -e c
printf '%s\n' a x x x b | grep --group-separator=XX -A0 -e a -e b
