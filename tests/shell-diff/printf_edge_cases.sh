printf '%s %s %s\n' a b
printf '%5.1f%%\n' 45.678
printf '%x\n' -1
printf '%c%c\n' A
printf '%s\n' "$(printf '\x41')"
printf 'a%sb\n' '' x
printf '%05.1f|%-8.3e|\n' 3.14159 31415.9
printf '%#o %#X\n' 8 255
printf '%i\n' ' 42'
printf '%d\n' '-0x10'
printf '%.0f %.0f %.0f\n' 0.5 1.5 2.5
printf '%g %g\n' 1e100 123456
printf '%s\n' --
printf -- '-%s-\n' x
printf '%d\n' 9999999999999999999
printf '%-4s|\n' "é"
