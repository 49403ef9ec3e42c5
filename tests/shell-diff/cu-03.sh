echo hi | head -n x; echo rc=$?
head --bogus; echo rc=$?
head -n; echo rc=$?
head --lin=1 --verbose nofile; echo rc=$?
