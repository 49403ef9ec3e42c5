printf 'x y\nz\n' > f
IFS=$'\n'
for l in $(cat f); do echo "<$l>"; done
unset IFS
