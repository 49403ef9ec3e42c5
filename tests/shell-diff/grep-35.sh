echo a | grep --co a
echo "rc=$?"
echo a | grep --count=2 a
echo "rc=$?"
echo a | grep --cou a
