printf '%q\n' 'a b' "it's" '' 'a*' 'x$y'
printf '%q\n' "$(printf 'a\tb')"
