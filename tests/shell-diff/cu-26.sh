echo x | cut; echo rc=$?
echo x | cut -f0; echo rc=$?
echo x | cut -f3-1; echo rc=$?
echo x | cut -d ab -f1; echo rc=$?
echo x | cut -c1 -f1; echo rc=$?
echo x | cut -d: -c1; echo rc=$?
cut -f1 nofile; echo rc=$?
