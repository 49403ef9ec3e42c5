kill -0 %1 2>/dev/null; echo $?
