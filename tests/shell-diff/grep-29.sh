printf 'one\n' > f1
grep -q one f1 nope
echo "rc=$?"
grep -q zzz f1
echo "rc=$?"
grep -sq one nope
echo "rc=$?"
