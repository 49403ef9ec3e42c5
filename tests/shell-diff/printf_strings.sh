printf '[%5s][%-5s][%.2s]\n' ab ab abcdef
printf '[%c]\n' hello
printf '[%s]\n'
printf '[%d]\n'
printf '%s %s\n' only
