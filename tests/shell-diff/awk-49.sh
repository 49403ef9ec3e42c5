# awk: illegal reference to an array
awk 'BEGIN {x[1] = 1; x = 2}'
echo rc=$?
