echo x | sed '3!!p'
echo x | sed 1,p
echo x | sed a
echo x | sed dp
echo x | sed 0p
echo x | sed 0,5p
echo "rc=$?"
