{ echo a; echo a; echo b; } > f
uniq f out; cat out
uniq f out extra; echo rc=$?
uniq -cD f; echo rc=$?
uniq -f x f; echo rc=$?
uniq nofile; echo rc=$?
