v="a:b::c"
IFS=:
for x in $v; do echo "[$x]"; done
IFS=' :'
v=" a : b "
for x in $v; do echo "<$x>"; done
unset IFS
v="  x   y  "
for x in $v; do echo "{$x}"; done
