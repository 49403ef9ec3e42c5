touch a b
ls a b
echo keep > a
touch a
cat a
touch nodir/x; echo rc=$?
touch; echo rc=$?
