printf 'one\n' > f1
grep one nope f1
echo "rc=$?"
grep -s one nope f1
echo "rc=$?"
