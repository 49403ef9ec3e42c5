# awk: sprintf and string building
awk 'BEGIN {x = sprintf("%05.2f|%s|%c", 3.14159, "a", 66); print x, length(x)}'
