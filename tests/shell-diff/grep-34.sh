echo a | grep
echo "rc=$?"
echo a | grep -e
echo "rc=$?"
echo a | grep --regexp
echo "rc=$?"
