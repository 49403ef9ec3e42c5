printf '%s\n' one two | grep -P 'o\b'
printf '%s\n' a12 b3 | grep -oP '\d+'
