printf 'one\n' > f1
sed p nope f1
echo "rc=$?"
