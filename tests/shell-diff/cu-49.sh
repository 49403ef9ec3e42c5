echo x > f
mkdir d
rm f
ls f; echo rc=$?
rm nofile; echo rc=$?
rm -f nofile; echo rc=$?
rm d; echo rc=$?
rm -d d; echo rc=$?
rm; echo rc=$?
rm -f; echo rc=$?
