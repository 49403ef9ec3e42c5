echo a | grep '\('
echo "rc=$?"
echo a | grep -E '('
echo "rc=$?"
echo a | grep '\)'
echo "rc=$?"
echo '(a)' | grep -E ')'
