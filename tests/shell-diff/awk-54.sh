# awk: for-in order of many integer keys
awk 'BEGIN {for (i = 0; i < 30; i++) a[i * 7 % 31] = i; for (k in a) printf "%s ", k; print ""}'
