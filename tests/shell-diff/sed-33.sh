sed -i s/a/b/
echo "rc=$?"
sed -i s/a/b/ nope
echo "rc=$?"
