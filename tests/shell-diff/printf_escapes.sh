printf 'a\tb\\c\n'
printf '\101\x42\n'
printf 'q\"q\n'
printf '%s\n' "tab	here"
