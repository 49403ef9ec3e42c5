mkdir d
mv d d/x; echo rc=$?
mv nofile x; echo rc=$?
mv; echo rc=$?
echo x > a
mv a; echo rc=$?
mv a b c; echo rc=$?
mv -v a z
