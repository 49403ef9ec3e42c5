mkdir -p t/a/b
echo 1 > t/a/b/f
echo 2 > t/g
rm -r t
ls t; echo rc=$?
mkdir -p u/v
rm -rv u
rm -r .; echo rc=$?
rm -rf nofile; echo rc=$?
