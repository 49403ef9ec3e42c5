echo a | grep -k a
echo "rc=$?"
echo a | grep --foo a
echo "rc=$?"
