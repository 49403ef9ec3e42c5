# awk: array parameters are passed by reference
awk 'function fill(arr, n,   i) {for (i = 1; i <= n; i++) arr[i] = i * i} BEGIN {fill(sq, 5); for (i = 1; i <= 5; i++) printf "%d ", sq[i]; print ""}'
