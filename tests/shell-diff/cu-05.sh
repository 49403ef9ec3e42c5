seq 5 | tail -n 2
tail nofile; echo rc=$?
mkdir d; tail d; echo rc=$?
echo abc | tail -c 2
