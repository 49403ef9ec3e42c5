echo abc | grep -o ''
echo "rc=$?"
echo abc | grep -o 'x*'
echo "rc=$?"
