# awk: printf with too few arguments
awk 'BEGIN {printf "%d %d\n"}'
echo rc=$?
