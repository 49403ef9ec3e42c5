head -c 0 /dev/null; echo rc=$?
echo x | head -n 0; echo rc=$?
echo x | tail -c 0; echo rc=$?
echo x | sort -z | tr '\0' '@'; echo
echo a | tee; echo rc=$?
