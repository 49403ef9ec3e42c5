basename /usr/lib/libc.so.6
basename /a/b.txt .txt
basename -s .conf a.conf b.conf
basename -a x/y z/
basename //
basename a b c; echo rc=$?
basename; echo rc=$?
