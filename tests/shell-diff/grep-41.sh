echo ab | grep -E '*b'
echo "rc=$?"
echo ab | grep -E '+b'
echo ab | grep '*b'
echo "rc=$?"
echo 'a*b' | grep '^*'
