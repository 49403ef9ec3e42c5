# awk: runaway string and unexpected character
awk 'BEGIN {print "abc}'
echo rc=$?
awk '{print @}'
echo rc=$?
