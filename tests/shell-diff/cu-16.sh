{ echo b; echo a; echo c; } | sort -c; echo rc=$?
{ echo a; echo a; } | sort -cu; echo rc=$?
{ echo b; echo a; } | sort -C; echo rc=$?
{ echo a; echo b; } | sort -c; echo rc=$?
