kill %5; echo $?
kill -9 %3; echo $?
kill -BOGUS %1; echo $?
