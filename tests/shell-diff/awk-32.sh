# awk: exit status from exit, END still runs
echo 'a' | awk '{print; exit 3} END {print "end"}'
echo rc=$?
