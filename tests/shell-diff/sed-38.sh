echo x | sed 's/a/b'
echo "rc=$?"
echo x | sed 's/a/b/x'
echo x | sed k
echo x | sed '1,2q'
echo x | sed 'p;}'
echo x | sed '{p'
echo "rc=$?"
