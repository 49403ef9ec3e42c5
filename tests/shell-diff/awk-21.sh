# awk: split with string, default and regex separators
awk 'BEGIN {n = split("a:b:c", x, ":"); print n, x[1], x[3]; n = split("  p  q ", y); print n, y[1] y[2]; n = split("a1b22c", z, /[0-9]+/); print n, z[1], z[2], z[3]}'
