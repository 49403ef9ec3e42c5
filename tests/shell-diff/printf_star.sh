printf '%*d|\n' 6 42
printf '%-*s|\n' 4 ab
printf '%.*f\n' 1 3.14159
