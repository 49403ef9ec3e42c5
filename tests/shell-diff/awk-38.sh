# awk: increment and assignment operators
awk 'BEGIN {x = 5; x += 2; x -= 1; x *= 3; x /= 2; x %= 5; x ^= 2; print x; print x++ + ++x, x--, --x, x}'
