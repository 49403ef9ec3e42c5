echo x | sort -k0; echo rc=$?
echo x | sort -k1.0; echo rc=$?
echo x | sort -t ab; echo rc=$?
echo x | sort -nh; echo rc=$?
sort nofile; echo rc=$?
echo x | sort --bogus; echo rc=$?
