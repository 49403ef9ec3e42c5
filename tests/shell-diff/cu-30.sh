echo x | tr; echo rc=$?
echo x | tr a; echo rc=$?
echo x | tr -d a b; echo rc=$?
echo x | tr a b c; echo rc=$?
echo x | tr z-a x; echo rc=$?
echo x | tr '[:foo:]' x; echo rc=$?
echo x | tr a-z '[:digit:]'; echo rc=$?
