printf 'one\ntwo\n' > f1
printf 'four\n' > f2
grep -l o f1 f2
grep -L one f1 f2
echo "rc=$?"
