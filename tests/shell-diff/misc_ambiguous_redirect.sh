f="a b"
echo x > $f
echo "st=$?"
