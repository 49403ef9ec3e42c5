seq 5
seq 3 6
seq 10 -3 1
seq 5 1; echo rc=$?
seq -s, 5
seq -s ' ' 3
