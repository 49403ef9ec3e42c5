# awk: srand with a seed gives glibc's sequence
awk 'BEGIN {srand(1); print rand(), rand(); srand(42); print int(rand() * 100)}'
