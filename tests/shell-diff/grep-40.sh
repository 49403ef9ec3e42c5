echo aa | grep '\(a\)\2'
echo "rc=$?"
echo 'a{' | grep -E 'a{'
echo 'a{1,x}' | grep -E 'a{1,x}'
