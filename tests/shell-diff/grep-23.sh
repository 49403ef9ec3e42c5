printf '%s\n' a b c d e f g | grep -2 d
printf '%s\n' a b c d e f g | grep --context=1 -e a -e g
