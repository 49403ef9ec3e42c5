mkdir -p src/sub
echo 1 > src/f
echo 2 > src/sub/g
cp src dst; echo rc=$?
cp -r src dst
ls -R dst
cp -a src dst
ls dst
cp -v src/f copy
