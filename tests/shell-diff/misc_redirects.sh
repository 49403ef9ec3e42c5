echo one > f
echo two >> f
cat f
cat < f > g
cat g
echo err 1>&2 2>/dev/null
{ echo x; echo y >&2; } 2>&1 > /dev/null
