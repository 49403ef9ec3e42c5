# awk: getline from a missing file returns -1
awk 'BEGIN { if ((getline line < "/nonexistent") < 0) print "cannot read"; else print "read" }'
