echo data > a
cp a b
cat b
mkdir d
cp a b d
ls d
cp a a; echo rc=$?
cp nofile x; echo rc=$?
cp a nodir/x; echo rc=$?
