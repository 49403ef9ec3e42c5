expr 1 / 0; echo rc=$?
expr a + 1; echo rc=$?
expr 1 +; echo rc=$?
expr 1 2; echo rc=$?
expr; echo rc=$?
expr 0; echo rc=$?
expr '' ; echo rc=$?
