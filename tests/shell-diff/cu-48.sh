echo x > f
mkdir -p f; echo rc=$?
mkdir -p f/x; echo rc=$?
mkdir -p a/b/c
rmdir a; echo rc=$?
rmdir -p a/b/c; echo rc=$?
ls a; echo rc=$?
rmdir f; echo rc=$?
rmdir nofile; echo rc=$?
