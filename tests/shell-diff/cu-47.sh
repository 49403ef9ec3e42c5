mkdir d
mkdir d; echo rc=$?
mkdir -p d/e/f
ls -R d
mkdir x/y; echo rc=$?
mkdir -v v
mkdir -m 700 m; echo rc=$?
mkdir -m 999 bad; echo rc=$?
mkdir; echo rc=$?
