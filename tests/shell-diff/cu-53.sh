echo x > a
cp; echo rc=$?
cp a; echo rc=$?
cp a a2 nonexist; echo rc=$?
echo y > b
cp -n a b; cat b
mkdir d
cp -t d a b; ls d
