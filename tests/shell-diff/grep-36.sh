echo a | grep -m x a
echo "rc=$?"
echo a | grep -A x a
echo "rc=$?"
echo a | grep -C -1 a
echo "rc=$?"
