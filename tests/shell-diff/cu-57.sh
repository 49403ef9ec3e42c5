dirname /usr/lib/libc.so.6
dirname a/b/
dirname file
dirname / //x
dirname; echo rc=$?
