printf 'one\ntwo\n' > f1
printf 'three\n' > f2
sed -i 's/o/0/' f1 f2
cat f1 f2
sed -i.bak 1d f1
cat f1 f1.bak
