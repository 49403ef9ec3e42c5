# awk: uninitialized values
awk 'BEGIN {print length(x), x + 0, (x == 0), (x == ""), "[" x "]"}'
