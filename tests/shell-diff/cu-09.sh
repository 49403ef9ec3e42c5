echo a > f; echo > g; echo >> g; echo b >> g
cat f g
cat -n f g
cat -b g
cat -s g
cat -E f
