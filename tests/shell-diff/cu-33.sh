seq; echo rc=$?
seq x; echo rc=$?
seq 1 0 5; echo rc=$?
seq 1 2 3 4; echo rc=$?
seq -f %d 3; echo rc=$?
