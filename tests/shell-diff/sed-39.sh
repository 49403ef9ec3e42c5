echo x | sed 'y/ab/c/'
echo x | sed 's/\(a\)/\2/'
echo x | sed /abc
echo x | sed bfoo
echo "rc=$?"
echo x | sed :
