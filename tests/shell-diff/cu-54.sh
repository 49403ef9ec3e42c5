echo x > a
mv a b
ls a; echo rc=$?
cat b
mkdir d
mv b d
ls d
mv d e
ls e
