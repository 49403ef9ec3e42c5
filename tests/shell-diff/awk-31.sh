# awk: loops with break and continue
awk 'BEGIN {while (1) {if (++i > 6) break; if (i % 2) continue; print i}; do print "do", i--; while (i > 5)}'
