echo a | grep '['
echo "rc=$?"
echo a | grep 'a['
echo "rc=$?"
echo a | grep '[[:foo:]]'
echo "rc=$?"
echo a | grep '[:space:]'
echo "rc=$?"
