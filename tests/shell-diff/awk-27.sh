# awk: multi-dimensional arrays and (i,j) in
awk 'BEGIN {a[1,2] = 3; a[2,1] = 4; for (k in a) {split(k, p, SUBSEP); print p[1], p[2], a[k]}; if ((1,2) in a) print "yes"}'
