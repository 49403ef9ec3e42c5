# awk: delete an element and a whole array
awk 'BEGIN {a["x"]; a["y"]; delete a["x"]; print length(a); delete a; print length(a)}'
