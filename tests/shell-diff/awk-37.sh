# awk: concatenation versus minus and unary
awk 'BEGIN {print 1 " " -1; print 2 - 1 "x"; print -2 ^ 2, 2 ^ 3 ^ 2, !0, !"a"}'
