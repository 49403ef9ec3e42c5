# awk: unterminated regex and a bad dynamic regex
awk '/abc'
echo rc=$?
awk 'BEGIN { r = "+x"; print "a" ~ r }'
echo rc=$?
