{ echo b; echo a; } > u
{ echo b; echo c; } > s
comm u s; echo rc=$?
comm --nocheck-order u s; echo rc=$?
comm --check-order u u; echo rc=$?
